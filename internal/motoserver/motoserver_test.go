package motoserver_test

import (
	"testing"

	"github.com/sgc-dev/sgc/internal/motoserver"
)

// TestGroupTwice makes one group twice, as the SDK's retry of a
// CreateSecurityGroup whose answer was lost does: the second call finds the
// group the first made instead of failing the test.
func TestGroupTwice(t *testing.T) {
	c := motoserver.Start(t).Client()
	vpc := motoserver.VPC(t, c, "10.9.0.0/16")
	first := motoserver.Group(t, c, vpc, "web", "Web tier", true)
	motoserver.Group(t, c, motoserver.VPC(t, c, "10.8.0.0/16"), "web", "Another VPC's", true)
	if again := motoserver.Group(t, c, vpc, "web", "Web tier", true); again != first {
		t.Errorf("second Group: %s, want the first's %s", again, first)
	}
}
