package scenario

import (
	"fmt"
	"strings"
)

// Reference is every setting of a scenario as a Markdown table: its path,
// type, default, range and doc line, made from the schema (the README's
// reference and `boxes simulate --settings` print it).
func Reference() string {
	var b strings.Builder
	b.WriteString("| setting | type | default | range | what it is |\n| --- | --- | --- | --- | --- |\n")
	cell := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	for _, s := range Settings() {
		def := "`" + s.Default + "`"
		switch {
		case s.Required:
			def = "required"
		case s.Default == "":
			def = ""
		}
		rng := s.Range()
		if len(s.Enum) > 0 {
			rng = "`" + strings.Join(s.Enum, "`, `") + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", s.Path, s.Type, cell(def), cell(rng), cell(s.Doc))
	}
	return b.String()
}
