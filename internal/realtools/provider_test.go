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
//
// The provider finds the emulator through AWS_ENDPOINT_URL_EC2 and
// AWS_ENDPOINT_URL_STS in its environment, not an `endpoints` block in
// the provider configuration: the provider spends about two seconds of
// CPU (and allocates gigabytes) on that block, with its entry for every
// AWS service, each time terraform validates the configuration, twice in
// a plan. A plan of one group took 11 s of CPU with the block and 3.8 s
// without (terraform and the provider it started; 2026-12-02), and the
// real-tool package 149 s alone instead of 59 s.

var (
	providersMu sync.Mutex
	providers   = map[string]string{} // top-level test name -> TF_REATTACH_PROVIDERS
	endpoints   = map[string]string{} // top-level test name -> the emulator's endpoint
)

// useEndpoint points t's terraform commands at the emulator at endpoint,
// and starts the provider they attach to.
func useEndpoint(t *testing.T, endpoint string) {
	t.Helper()
	providersMu.Lock()
	endpoints[t.Name()] = endpoint
	providersMu.Unlock()
	t.Cleanup(func() {
		providersMu.Lock()
		delete(endpoints, t.Name())
		providersMu.Unlock()
	})
	startProvider(t, endpoint)
}

// endpointEnv is the environment that points the provider at endpoint.
func endpointEnv(endpoint string) []string {
	return []string{"AWS_ENDPOINT_URL_EC2=" + endpoint, "AWS_ENDPOINT_URL_STS=" + endpoint}
}

var reattachLine = regexp.MustCompile(`TF_REATTACH_PROVIDERS='([^']+)'`)

// startProvider starts the provider for the top-level test t, pointed at
// the emulator at endpoint, or returns (and terraform starts its own)
// when it cannot.
func startProvider(t *testing.T, endpoint string) {
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
	cmd.Env = append(cmd.Env, endpointEnv(endpoint)...)
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

// providerEnv is the environment that points t's terraform commands at
// its test's emulator and attaches them to its test's provider, when
// it has them.
func providerEnv(t *testing.T) []string {
	providersMu.Lock()
	defer providersMu.Unlock()
	top := strings.SplitN(t.Name(), "/", 2)[0]
	var env []string
	if e, ok := endpoints[top]; ok {
		env = endpointEnv(e) // for a provider terraform starts itself
	}
	if v, ok := providers[top]; ok {
		env = append(env, "TF_REATTACH_PROVIDERS="+v)
	}
	return env
}
