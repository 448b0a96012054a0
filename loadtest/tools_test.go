package loadtest

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/usl"
)

// The real tools run against a server of known service time and
// parallelism: c slots (a semaphore), each request holding one for L. A
// closed loop of N clients then completes
//
//	X(N) = min(N, c) / L   jobs/s,   R(N) = max(L, N·L/c)
//
// (the boxes model of the articles: c boxes of latency L; usl.Point's
// ThroughputAt). Each test runs its tool at N = 1, 2, 4, 8, 16 for about a
// second each, reads the tool's own output with the reader, checks every
// point against these closed forms (X from 25% less to 10% more, R from 10%
// less to 35% more: the client's own time per request and the sleeps of a
// loaded machine only add; JMeter 2.13 adds about 3ms a request), and
// fits the USL: its peak throughput is c/L within
// 15%, and its 95% interval of the peak concurrency N* holds c. (A hard
// knee is not a USL curve: on exact data at these N the fit gives
// X(N*) = 219/s and N* = 8.9 with interval [1, 16.8] for c = 4,
// L = 20ms, by usl.Fit on min(N, 4)/0.02.)
const (
	toolL = 20 * time.Millisecond
	toolC = 4
)

var toolNs = []int{1, 2, 4, 8, 16}

// needTool finds a tool, failing when CI is set and it is missing.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			pkg := name
			if p, ok := map[string]string{"ab": "apache2-utils", "java": "jmeter"}[name]; ok {
				pkg = p
			}
			t.Fatalf("%s is missing and CI is set: apt-get install %s (.ci/run does)", name, pkg)
		}
		t.Skipf("%s is not installed", name)
	}
	return p
}

// slotServer serves on 127.0.0.1 with c slots of service time l.
func slotServer(t *testing.T, l time.Duration, c int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	slots := make(chan struct{}, c)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		slots <- struct{}{}
		time.Sleep(l)
		<-slots
		w.Write([]byte("ok\n"))
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	return "http://" + ln.Addr().String() + "/"
}

// checkPoints checks points against the closed forms and fits them.
func checkPoints(t *testing.T, ps []usl.Point) {
	t.Helper()
	l := toolL.Seconds()
	for _, p := range ps {
		wantX := math.Min(p.Concurrency, toolC) / l
		wantR := math.Max(l, p.Concurrency*l/toolC)
		if x := p.Throughput / wantX; x < 0.75 || x > 1.1 {
			t.Errorf("N=%g: X = %.4g/s, want min(N, c)/L = %.4g/s, 25%% less to 10%% more", p.Concurrency, p.Throughput, wantX)
		}
		if r := p.Latency / wantR; r < 0.9 || r > 1.35 {
			t.Errorf("N=%g: R = %.4gs, want max(L, NL/c) = %.4gs, 10%% less to 35%% more", p.Concurrency, p.Latency, wantR)
		}
	}
	r, err := usl.Fit(ps)
	if err != nil {
		t.Fatal(err)
	}
	if px := r.Model.PeakThroughput(); math.Abs(px/(toolC/l)-1) > 0.15 {
		t.Errorf("peak throughput X(N*) = %.4g/s, want c/L = %.4g/s within 15%%", px, toolC/l)
	}
	if !(r.Peak.Low <= toolC && toolC <= r.Peak.High) {
		t.Errorf("peak concurrency N* = %.3g, 95%% interval [%.3g, %.3g] does not hold c = %d", r.Peak.Value, r.Peak.Low, r.Peak.High, toolC)
	}
	t.Logf("fit: λ = %.4g/s [%.4g, %.4g], σ = %.3g, κ = %.3g, N* = %.3g [%.3g, %.3g], X(N*) = %.4g/s",
		r.Lambda.Value, r.Lambda.Low, r.Lambda.High, r.Sigma.Value, r.Kappa.Value, r.Peak.Value, r.Peak.Low, r.Peak.High, r.Model.PeakThroughput())
}

// runTool runs a tool at each concurrency, writing its output to
// dir/name-cN.txt, and reads the files back.
func runTool(t *testing.T, name string, args func(n int) []string) []usl.Point {
	t.Helper()
	bin := needTool(t, name)
	dir := t.TempDir()
	var ps []usl.Point
	for _, n := range toolNs {
		out, err := exec.Command(bin, args(n)...).Output()
		if err != nil {
			t.Fatalf("%s %s: %v", name, strings.Join(args(n), " "), err)
		}
		file := filepath.Join(dir, fmt.Sprintf("%s-c%d.txt", name, n))
		if err := os.WriteFile(file, out, 0o644); err != nil {
			t.Fatal(err)
		}
		src, err := ReadFile(file, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if src.Format != name {
			t.Errorf("%s: detected %s", file, src.Format)
		}
		ps = append(ps, src.Points()...)
	}
	return ps
}

// TestHeyReal runs hey -z 1s -c N; hey does not print N, which comes
// from the file's name (hey-cN.txt).
func TestHeyReal(t *testing.T) {
	url := slotServer(t, toolL, toolC)
	ps := runTool(t, "hey", func(n int) []string { return []string{"-z", "1s", "-c", fmt.Sprint(n), url} })
	checkPoints(t, ps)
	for i, p := range ps {
		if p.Concurrency != float64(toolNs[i]) {
			t.Errorf("file %d: N = %g, want %d from its name", i, p.Concurrency, toolNs[i])
		}
	}
}

// TestABReal runs ab -t 1 -c N, which stops after a second or at its
// default 50,000 requests.
func TestABReal(t *testing.T) {
	url := slotServer(t, toolL, toolC)
	ps := runTool(t, "ab", func(n int) []string { return []string{"-q", "-t", "1", "-c", fmt.Sprint(n), url} })
	checkPoints(t, ps)
}

// TestJMeterReal writes a test plan of thread groups run one after the
// other (a warm-up of 3 threads, then 1, 2, 4, 8, 16 threads for about
// 1.5 s each), runs jmeter -n -t plan.jmx -l out.jtl, and reads the JTL: the
// windows of constant allThreads are the thread groups.
//
// Debian's jmeter 2.13 cannot load any .jmx with Debian's xstream 1.4.20
// (ForbiddenClassException: org.apache.jmeter.save.ScriptWrapper), so the
// test starts JMeter's own main class, NewDriver, through
// testdata/JMeterDebian.java, which first allows all types in JMeter's
// XStream instances. Where /usr/bin/jmeter works, set BOXES_JMETER to it.
func TestJMeterReal(t *testing.T) {
	url := slotServer(t, toolL, toolC)
	dir := t.TempDir()
	if keep := os.Getenv("BOXES_KEEP"); keep != "" {
		dir = keep // to look at the plan, the JTL and JMeter's log
	}
	plan := filepath.Join(dir, "plan.jmx")
	host, port, _ := net.SplitHostPort(strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/"))
	groups := []int{3}
	groups = append(groups, toolNs...)
	var tg strings.Builder
	for _, n := range groups {
		// Loops, not a scheduler's duration: JMeter 2.13 counts every
		// group's duration from the test's start. Each thread loops for
		// about 1.5 s: 75 requests at L = 20ms, fewer above c as they wait.
		loops := int(1.5 / (math.Max(1, float64(n)/toolC) * toolL.Seconds()))
		fmt.Fprintf(&tg, jmxGroup, n, loops, n, host, port)
	}
	if err := os.WriteFile(plan, []byte(fmt.Sprintf(jmxPlan, tg.String())), 0o644); err != nil {
		t.Fatal(err)
	}
	jtl := filepath.Join(dir, "out.jtl")
	args := []string{"-n", "-t", plan, "-l", jtl, "-j", filepath.Join(dir, "jmeter.log"),
		"-Jjmeter.save.saveservice.output_format=csv", "-Jjmeter.save.saveservice.print_field_names=true",
		"-Jjmeter.save.saveservice.thread_counts=true"}
	var cmd *exec.Cmd
	if j := os.Getenv("BOXES_JMETER"); j != "" {
		cmd = exec.Command(j, args...)
	} else {
		needTool(t, "jmeter")
		java := needTool(t, "java")
		wrapper, _ := filepath.Abs("testdata/JMeterDebian.java")
		cmd = exec.Command(java, append([]string{"-Djmeter.home=/usr/share/jmeter", "-cp", "/usr/share/jmeter/bin/ApacheJMeter.jar", wrapper}, args...)...)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("jmeter: %v\n%s", err, out)
	}
	src, err := ReadFile(jtl, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if src.Format != "jtl" {
		t.Errorf("detected %s", src.Format)
	}
	var ps []usl.Point
	seen := map[float64]bool{}
	for _, w := range src.Windows {
		if w.Used && w.Concurrency != 3 { // 3 is the warm-up
			ps = append(ps, w.Point())
			seen[w.Concurrency] = true
		}
	}
	for _, n := range toolNs {
		if !seen[float64(n)] {
			var b strings.Builder
			WriteSummary(&b, []*Source{src})
			t.Errorf("no window at N = %d:\n%s", n, b.String())
		}
	}
	checkPoints(t, ps)
}

const jmxPlan = `<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2" properties="2.8" jmeter="2.13">
  <hashTree>
    <TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="steps" enabled="true">
      <boolProp name="TestPlan.functional_mode">false</boolProp>
      <boolProp name="TestPlan.serialize_threadgroups">true</boolProp>
      <elementProp name="TestPlan.user_defined_variables" elementType="Arguments" guiclass="ArgumentsPanel" testclass="Arguments" enabled="true">
        <collectionProp name="Arguments.arguments"/>
      </elementProp>
      <stringProp name="TestPlan.user_define_classpath"></stringProp>
    </TestPlan>
    <hashTree>%s
    </hashTree>
  </hashTree>
</jmeterTestPlan>
`

// jmxGroup is one thread group: name, loops, threads, host, port.
const jmxGroup = `
      <ThreadGroup guiclass="ThreadGroupGui" testclass="ThreadGroup" testname="c%d" enabled="true">
        <stringProp name="ThreadGroup.on_sample_error">continue</stringProp>
        <elementProp name="ThreadGroup.main_controller" elementType="LoopController" guiclass="LoopControlPanel" testclass="LoopController" enabled="true">
          <boolProp name="LoopController.continue_forever">false</boolProp>
          <stringProp name="LoopController.loops">%d</stringProp>
        </elementProp>
        <stringProp name="ThreadGroup.num_threads">%d</stringProp>
        <stringProp name="ThreadGroup.ramp_time">0</stringProp>
        <boolProp name="ThreadGroup.scheduler">false</boolProp>
      </ThreadGroup>
      <hashTree>
        <HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="get" enabled="true">
          <elementProp name="HTTPsampler.Arguments" elementType="Arguments" guiclass="HTTPArgumentsPanel" testclass="Arguments" enabled="true">
            <collectionProp name="Arguments.arguments"/>
          </elementProp>
          <stringProp name="HTTPSampler.domain">%s</stringProp>
          <stringProp name="HTTPSampler.port">%s</stringProp>
          <stringProp name="HTTPSampler.protocol">http</stringProp>
          <stringProp name="HTTPSampler.path">/</stringProp>
          <stringProp name="HTTPSampler.method">GET</stringProp>
          <boolProp name="HTTPSampler.use_keepalive">true</boolProp>
        </HTTPSamplerProxy>
        <hashTree/>
      </hashTree>`
