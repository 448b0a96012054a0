package sweep

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/boxes-project/boxes/internal/bounded"
)

// A Shard is part i of n of a sweep (0 ≤ i < n): it owns the
// configurations whose index is i modulo n, so that each shard gets its
// share of every region of the grid (the costly and the cheap).
type Shard struct {
	Index, Count int
}

// All is the whole sweep as one shard.
var All = Shard{Index: 0, Count: 1}

// maxShards bounds n in "i/n".
const maxShards = 100_000

// ParseShard reads "i/n", as written on a command line: "3/8", or
// "$(JOB_COMPLETION_INDEX)/8" once Kubernetes has put the index in.
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	switch {
	case !ok || err1 != nil || err2 != nil:
		return Shard{}, fmt.Errorf("sweep: shard %q: want i/n, like 0/4", s)
	case n < 1 || n > maxShards:
		return Shard{}, fmt.Errorf("sweep: shard %q: n must be from 1 to %d", s, maxShards)
	case i < 0 || i >= n:
		return Shard{}, fmt.Errorf("sweep: shard %q: i must be from 0 to n-1 = %d", s, n-1)
	}
	return Shard{Index: i, Count: n}, nil
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Owns reports whether configuration k is this shard's.
func (s Shard) Owns(k int) bool { return k%s.Count == s.Index }

// Select is the configurations of cs that the shard owns, in order.
func (s Shard) Select(cs []Configuration) []Configuration {
	var out []Configuration
	for _, c := range cs {
		if s.Owns(c.Index) {
			out = append(out, c)
		}
	}
	return out
}

// PartKind marks a file as a sweep's part, for Merge and for readers that
// detect formats by content.
const PartKind = "boxes sweep part"

// A Part is what one shard computed: each of its configurations' output,
// as the bytes the unsharded run would write for it, and what ties it to
// its sweep: the digest of the scenario (settings and sweep included), the
// number of configurations and the shard.
type Part struct {
	Kind           string     `json:"kind"`
	File           string     `json:"file"`
	Scenario       string     `json:"scenario_sha256"`
	Axes           []AxisJSON `json:"axes"`
	Configurations int        `json:"configurations"`
	Shard          string     `json:"shard"`
	Entries        []Entry    `json:"entries"`
}

// An Entry is one configuration's output.
type Entry struct {
	Index  int             `json:"index"`
	Output json.RawMessage `json:"output"`
}

// Digest is the SHA-256 of a scenario document's bytes, in hex: parts of
// the same sweep carry the same digest.
func Digest(scenario []byte) string {
	sum := sha256.Sum256(scenario)
	return hex.EncodeToString(sum[:])
}

// NewPart starts the part of shard s of a sweep of n configurations of the
// scenario with the given digest.
func NewPart(digest string, n int, s Shard) *Part {
	return &Part{Kind: PartKind, Scenario: digest, Configurations: n, Shard: s.String()}
}

// Part is shard sh's part of the sweep, holding entries.
func (s *Sweep) Part(sh Shard, entries []Entry) *Part {
	p := NewPart(s.Digest, len(s.Configurations), sh)
	p.File, p.Axes, p.Entries = s.File, s.axesJSON(), entries
	return p
}

// Header is what Assemble needs of a sweep besides its outputs: from the
// sweep itself, or from its parts.
type Header struct {
	File, Digest   string
	Axes           []AxisJSON
	Configurations int
}

// Header is the sweep's header.
func (s *Sweep) Header() Header {
	return Header{File: s.File, Digest: s.Digest, Axes: s.axesJSON(), Configurations: len(s.Configurations)}
}

// Header is the header of the sweep the part belongs to.
func (p *Part) Header() Header {
	return Header{File: p.File, Digest: p.Scenario, Axes: p.Axes, Configurations: p.Configurations}
}

func (s *Sweep) axesJSON() []AxisJSON {
	var out []AxisJSON
	for _, a := range s.Axes {
		out = append(out, AxisJSON{Path: a.Path, Values: a.Values})
	}
	return out
}

// WriteTo writes the part as JSON.
func (p *Part) WriteTo(w io.Writer) (int64, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return 0, err
	}
	n, err := w.Write(append(b, '\n'))
	return int64(n), err
}

// maxPartBytes bounds one part file.
const maxPartBytes = 1 << 30

// ReadPart reads a part written by WriteTo; name is for errors.
func ReadPart(r io.Reader, name string) (*Part, error) {
	b, err := bounded.ReadJSON(r, maxPartBytes)
	var le *bounded.LimitError
	if errors.As(err, &le) {
		return nil, fmt.Errorf("sweep: %s: larger than %d bytes (the limit of a part; run more shards)", name, maxPartBytes)
	}
	if err != nil {
		return nil, fmt.Errorf("sweep: %s: not a sweep part: %w", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p Part
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("sweep: %s: not a sweep part: %w", name, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("sweep: %s: more after the part", name)
	}
	if p.Kind != PartKind {
		return nil, fmt.Errorf("sweep: %s: not a sweep part (kind %q, want %q)", name, p.Kind, PartKind)
	}
	return &p, nil
}

// Merge checks that parts are every shard of one sweep, once each, and
// returns their entries in index order. It refuses parts of different
// scenarios or sizes, a shard missing or given twice, and entries that are
// missing, duplicated or not their shard's.
func Merge(parts []*Part) ([]Entry, error) {
	if len(parts) == 0 {
		return nil, errors.New("sweep: merge: no parts")
	}
	first := parts[0]
	s0, err := ParseShard(first.Shard)
	if err != nil {
		return nil, fmt.Errorf("sweep: merge: part 1: %w", err)
	}
	have := make([]bool, s0.Count)
	var all []Entry
	for i, p := range parts {
		s, err := ParseShard(p.Shard)
		if err != nil {
			return nil, fmt.Errorf("sweep: merge: part %d: %w", i+1, err)
		}
		switch {
		case p.Scenario != first.Scenario || p.File != first.File || !slices.EqualFunc(p.Axes, first.Axes, equalAxis):
			return nil, fmt.Errorf("sweep: merge: part %d (shard %s) is of another scenario (sha256 %.12s…, not %.12s…)", i+1, p.Shard, p.Scenario, first.Scenario)
		case p.Configurations != first.Configurations:
			return nil, fmt.Errorf("sweep: merge: part %d has %d configurations, part 1 %d", i+1, p.Configurations, first.Configurations)
		case s.Count != s0.Count:
			return nil, fmt.Errorf("sweep: merge: part %d is shard %s, part 1 shard %s: different shard counts", i+1, p.Shard, first.Shard)
		case have[s.Index]:
			return nil, fmt.Errorf("sweep: merge: shard %s is given twice", p.Shard)
		}
		have[s.Index] = true
		for _, e := range p.Entries {
			if e.Index < 0 || e.Index >= p.Configurations || !s.Owns(e.Index) {
				return nil, fmt.Errorf("sweep: merge: shard %s holds configuration %d, which is not its own", p.Shard, e.Index)
			}
		}
		all = append(all, p.Entries...)
	}
	var missing []string
	for i, ok := range have {
		if !ok {
			missing = append(missing, Shard{i, s0.Count}.String())
		}
	}
	if len(missing) > 0 {
		if len(missing) > 10 {
			missing = append(missing[:10], "…")
		}
		return nil, fmt.Errorf("sweep: merge: missing shard %s", strings.Join(missing, ", "))
	}
	slices.SortFunc(all, func(a, b Entry) int { return a.Index - b.Index })
	for k, e := range all {
		if e.Index != k {
			if k > 0 && all[k-1].Index == e.Index {
				return nil, fmt.Errorf("sweep: merge: configuration %d is given twice", e.Index)
			}
			return nil, fmt.Errorf("sweep: merge: configuration %d is missing", k)
		}
	}
	if len(all) != first.Configurations {
		return nil, fmt.Errorf("sweep: merge: configuration %d is missing", len(all))
	}
	return all, nil
}

func equalAxis(a, b AxisJSON) bool { return a.Path == b.Path && slices.Equal(a.Values, b.Values) }
