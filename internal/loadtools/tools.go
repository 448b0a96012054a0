package loadtools

import (
	"context"
	_ "embed"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// packages are the Debian packages of the tools whose package is not
// named like the command.
var packages = map[string]string{"ab": "apache2-utils", "java": "jmeter", "locust": "python3-locust"}

// Need finds a tool, failing the test when CI is set and it is missing,
// skipping it otherwise.
func Need(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		pkg := name
		if p, ok := packages[name]; ok {
			pkg = p
		}
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing and CI is set: apt-get install %s (.ci/run does)", name, pkg)
		}
		t.Skipf("%s is not installed: apt-get install %s", name, pkg)
	}
	return p
}

// Group is one JMeter thread group: Threads threads that each request
// Path Loops times, one after the other, without think time.
type Group struct {
	Threads, Loops int
	Path           string
}

// jmeterDebian runs JMeter's own main class, NewDriver, after allowing
// every class in JMeter's XStream instances (see the file).
//
//go:embed JMeterDebian.java
var jmeterDebian []byte

// JMeter writes a test plan of thread groups run one after the other
// (TestPlan.serialize_threadgroups) against url, runs it with jmeter -n
// in dir, and returns the path of the CSV JTL it wrote, with field names
// and thread counts (allThreads, grpThreads). JMeter's log is
// dir/jmeter.log.
//
// Debian's jmeter 2.13 cannot load any .jmx with Debian's xstream 1.4.20
// (ForbiddenClassException: org.apache.jmeter.save.ScriptWrapper), so
// JMeter runs through JMeterDebian.java (java's single-file source
// launcher), which first allows all types in JMeter's XStream instances.
// Where /usr/bin/jmeter works, set BOXES_JMETER to it.
func JMeter(t testing.TB, dir, url string, groups []Group) string {
	t.Helper()
	host, port, err := net.SplitHostPort(strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	var tg strings.Builder
	for _, g := range groups {
		fmt.Fprintf(&tg, jmxGroup, g.Path, g.Loops, g.Threads, host, port, g.Path)
	}
	plan := filepath.Join(dir, "plan.jmx")
	if err := os.WriteFile(plan, []byte(fmt.Sprintf(jmxPlan, tg.String())), 0o644); err != nil {
		t.Fatal(err)
	}
	jtl := filepath.Join(dir, "out.jtl")
	os.Remove(jtl) // JMeter appends to it
	args := []string{"-n", "-t", plan, "-l", jtl, "-j", filepath.Join(dir, "jmeter.log"),
		"-Jjmeter.save.saveservice.output_format=csv", "-Jjmeter.save.saveservice.print_field_names=true",
		"-Jjmeter.save.saveservice.thread_counts=true"}
	var cmd *exec.Cmd
	if j := os.Getenv("BOXES_JMETER"); j != "" {
		cmd = exec.Command(j, args...)
	} else {
		Need(t, "jmeter")
		java := Need(t, "java")
		wrapper := filepath.Join(dir, "JMeterDebian.java")
		if err := os.WriteFile(wrapper, jmeterDebian, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd = exec.Command(java, append([]string{"-Djmeter.home=/usr/share/jmeter", "-cp", "/usr/share/jmeter/bin/ApacheJMeter.jar", wrapper}, args...)...)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("jmeter: %v\n%s", err, out)
	}
	return jtl
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

// jmxGroup is one thread group: name, loops, threads, host, port, path.
const jmxGroup = `
      <ThreadGroup guiclass="ThreadGroupGui" testclass="ThreadGroup" testname="%s" enabled="true">
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
          <stringProp name="HTTPSampler.path">%s</stringProp>
          <stringProp name="HTTPSampler.method">GET</stringProp>
          <boolProp name="HTTPSampler.use_keepalive">true</boolProp>
        </HTTPSamplerProxy>
        <hashTree/>
      </hashTree>`

//go:embed locustfile.py
var locustfile []byte

// Step is one step of a Locust run: Users users for For.
type Step struct {
	Users int
	For   time.Duration
}

// Locust runs Locust headless against url in dir with the users of
// locustfile.py (GET / in a closed loop without think time), stepped
// through steps, and returns the path of the _stats_history.csv it wrote
// (one Aggregated row a second, and one per request name:
// --csv-full-history).
func Locust(t testing.TB, dir, url string, steps []Step) string {
	t.Helper()
	bin := Need(t, "locust")
	file := filepath.Join(dir, "locustfile.py")
	if err := os.WriteFile(file, locustfile, 0o644); err != nil {
		t.Fatal(err)
	}
	var spec []string
	var total time.Duration
	for _, s := range steps {
		spec = append(spec, fmt.Sprintf("%d:%g", s.Users, s.For.Seconds()))
		total += s.For
	}
	prefix := filepath.Join(dir, "locust")
	// No -t: Locust 2.12 refuses it with a LoadTestShape, which stops the
	// test itself after its last step; the context stops a Locust that
	// does not.
	ctx, cancel := context.WithTimeout(context.Background(), total+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-f", file, "--headless", "--only-summary", "--loglevel", "WARNING",
		"--csv", prefix, "--csv-full-history", "--host", url)
	cmd.Env = append(os.Environ(), "BOXES_LOCUST_STEPS="+strings.Join(spec, ","))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("locust: %v\n%s", err, out)
	}
	return prefix + "_stats_history.csv"
}

// AB runs ab -q -t seconds -c n against url (its path /) and writes its
// output to dir/ab-cN.txt, a name the reader takes N from (ab also
// writes it, as Concurrency Level). It returns the file.
func AB(t testing.TB, dir, url string, n int, seconds string) string {
	t.Helper()
	bin := Need(t, "ab")
	args := []string{"-q", "-t", seconds, "-c", fmt.Sprint(n), url + "/"}
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		t.Fatalf("ab %s: %v", strings.Join(args, " "), err)
	}
	file := filepath.Join(dir, fmt.Sprintf("ab-c%d.txt", n))
	if err := os.WriteFile(file, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}
