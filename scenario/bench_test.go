package scenario

import "testing"

// BenchmarkParseDefault reads, checks and builds the default scenario: the
// cost of the schema's reflection per document.
//
//	go test ./scenario -run '^$' -bench ParseDefault -count 6
func BenchmarkParseDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(defaultYAML, "default.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}
