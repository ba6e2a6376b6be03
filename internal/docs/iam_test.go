package docs

import (
	"os"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/account/live"
)

// TestDriftDocsIAM: docs/drift.md names every IAM action drift and revert
// call, so the policies it shows are the least that work.
func TestDriftDocsIAM(t *testing.T) {
	doc, err := os.ReadFile("../../docs/drift.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, action := range append(append([]string{}, live.IAMActions...), live.IAMChangeActions...) {
		if !strings.Contains(string(doc), `"`+action+`"`) {
			t.Errorf("docs/drift.md does not name %s", action)
		}
	}
}
