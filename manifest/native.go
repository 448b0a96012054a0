package manifest

import (
	"fmt"

	"github.com/boxes-project/boxes/policy"
)

// native adapts a reader of one object's text (package nativecfg's
// ReadService and ReadScaledObject) to a Reader. Its messages count lines
// from the object's first line, which is the file's for a file of one
// object.
func native(read func(data []byte, file string) (string, policy.Config, error)) Reader {
	return func(d *Document) ([]Named, error) {
		name, c, err := read(d.yaml, d.File)
		if err != nil {
			return nil, err
		}
		return []Named{{Name: name, Source: fmt.Sprintf("%s:%d", d.File, d.Line), Kind: d.APIVersion + " " + d.Kind, Config: c}}, nil
	}
}
