package realtools

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sgc-dev/sgc/internal/testproc"
)

// Every terraform command starts the AWS provider, a 700 MB binary that
// takes two to three seconds of CPU to start: most of what these tests
// cost. Instead, each test starts the provider once, in its debug mode,
// and its terraform commands attach to it (TF_REATTACH_PROVIDERS), as
// provider developers run theirs. One provider per test: a provider holds
// one configuration at a time, and tests run side by side with their own
// emulators. It is stopped when its test ends.

var (
	providersMu sync.Mutex
	providers   = map[string]string{} // top-level test name -> TF_REATTACH_PROVIDERS
)

var reattachLine = regexp.MustCompile(`TF_REATTACH_PROVIDERS='([^']+)'`)

// startProvider starts the provider for the top-level test t, or returns
// "" (and terraform starts its own) when it cannot.
func startProvider(t *testing.T) {
	t.Helper()
	bins, _ := filepath.Glob(filepath.Join(pluginDir(), "registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws_*"))
	if len(bins) == 0 {
		return
	}
	cmd := testproc.Command(t, bins[0], "-debug")
	// The emulator is plain HTTP: a CA bundle from the environment only
	// makes the provider in debug mode fail to build its client.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_CA_BUNDLE=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		sent := false
		for sc.Scan() { // read on to the end, so the provider never blocks on its output
			if m := reattachLine.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
		if !sent {
			close(found)
		}
	}()
	select {
	case v, ok := <-found:
		if !ok {
			t.Fatal("the provider in debug mode ended without saying how to attach to it")
		}
		providersMu.Lock()
		providers[t.Name()] = v
		providersMu.Unlock()
		t.Cleanup(func() {
			providersMu.Lock()
			delete(providers, t.Name())
			providersMu.Unlock()
		})
	case <-time.After(2 * time.Minute):
		t.Fatal("the provider in debug mode did not start")
	}
}

// reattachEnv is the environment entry that attaches t's terraform
// commands to its test's provider, or "".
func reattachEnv(t *testing.T) string {
	providersMu.Lock()
	defer providersMu.Unlock()
	if v, ok := providers[strings.SplitN(t.Name(), "/", 2)[0]]; ok {
		return "TF_REATTACH_PROVIDERS=" + v
	}
	return ""
}
