package boxes_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNoSeedForTheArticles greps the tree (sources, comments, help, README,
// templates, test data and file names) for "seed" used for the two source
// articles, which the product calls by title: "Scalability is not
// performance" (2025) and "The Difference Between Scalability and
// Performance". A random-number seed is a seed and stays one. Lines are
// joined (and comment markers dropped) first, so that a phrase broken
// across a comment's lines is found too. The patterns are built from
// pieces so that this file does not match itself.
func TestNoSeedForTheArticles(t *testing.T) {
	s := "se" + "ed"
	bad := regexp.MustCompile(`(?i)\b(first|second|third|both|two) ` + s + `s?\b|\b` + s + `'s\b|\b` + s + `s'|\b(as|in|from) the ` + s + `s?\b|\bthe ` + s + ` (says|calls|writes|defines)|` + s + ` (article|text|equation)s?\b`)
	join := regexp.MustCompile(`\s*\n\s*(//|#|\*)?\s*`)
	root := "."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if strings.HasPrefix(name, ".") && path != root || name == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.Contains(strings.ToLower(name), s+"s") && strings.Contains(name, ".txtar") {
			t.Errorf("%s: a file named after the articles as %ss", path, s)
		}
		switch filepath.Ext(name) {
		case ".go", ".md", ".txtar", ".tmpl", ".html", ".js", ".css", ".yaml", ".txt", ".csv", ".json":
		default:
			return nil
		}
		if name == "go.sum" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text := join.ReplaceAllString(string(b), " ")
		for _, m := range bad.FindAllStringIndex(text, 3) {
			lo, hi := max(0, m[0]-40), min(len(text), m[1]+40)
			t.Errorf("%s: %q: call the articles by title, not %ss", path, text[lo:hi], s)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
