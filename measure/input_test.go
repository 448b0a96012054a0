package measure

import "testing"

// TestRedact: the URL written to the measurement file must not carry
// credentials or query strings.
func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://user:secret@example.com:8080/a/b?token=x#f", "http://example.com:8080/a/b"}, // no user information, query or fragment
		{"https://example.com", "https://example.com"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
