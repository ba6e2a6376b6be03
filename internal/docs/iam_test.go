package docs

import (
	"os"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/account/activity"
	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/account/usage"
)

// TestDriftDocsIAM: docs/drift.md names every IAM action drift, revert and
// activity call, so the policies it shows are the least that work.
func TestDriftDocsIAM(t *testing.T) {
	doc, err := os.ReadFile("../../docs/drift.md")
	if err != nil {
		t.Fatal(err)
	}
	actions := append(append(append([]string{}, live.IAMActions...), live.IAMChangeActions...), activity.IAMLookupActions...)
	actions = append(append(actions, live.IAMInterfaceActions...), usage.IAMCloudWatchActions...)
	for _, action := range actions {
		if !strings.Contains(string(doc), `"`+action+`"`) {
			t.Errorf("docs/drift.md does not name %s", action)
		}
	}
}
