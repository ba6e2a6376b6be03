package limits

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEListsEveryLimit keeps the README's table of limits in step
// with All, row for row.
func TestREADMEListsEveryLimit(t *testing.T) {
	data, err := os.ReadFile("../../docs/commands.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, l := range All {
		row := "| " + l.Name + " | " + l.Value + " | "
		if !strings.Contains(readme, row) {
			t.Errorf("README lacks the row %q", row)
		}
	}
}
