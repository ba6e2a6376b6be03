package realtools

import (
	"flag"
	"os"
	"testing"
)

// parallel is how many of the package's tests run at once when -parallel
// is not given: more than go test's default (the cores), because these
// tests spend much of their time waiting on the tools they drive (the
// provider's waiters, moto, cfn-lint's start) rather than computing.
const parallel = "4"

func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		flag.Set("test.parallel", parallel)
	}
	os.Exit(m.Run())
}
