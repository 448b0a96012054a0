package loadtest

import "github.com/boxes-project/boxes/usl"

// go test -bench output run with -cpu 1,2,4,8 is read by usl.ReadGoBench:
// a point per result line, concurrency from the GOMAXPROCS suffix and
// throughput 1e9 / ns-per-op.

func detectGoBench(head []byte) bool { return usl.IsGoBench(head) }

func readGoBench(in *input, opt Options, src *Source) error {
	m, err := usl.ReadGoBench(in.br, in.name)
	if err != nil {
		return err
	}
	src.column("BenchmarkX-N", "N (the GOMAXPROCS suffix) as the concurrency")
	src.column("ns/op", "the throughput, 1e9 / ns-per-op operations per second")
	for i, p := range m.Points {
		src.Rows++
		src.Windows = append(src.Windows, Window{
			Concurrency: p.Concurrency, Throughput: p.Throughput, Latency: p.Latency,
			Used: true, Line: int64(m.Lines[i]),
		})
	}
	return nil
}
