package realtools

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"testing"
	"time"
)

// moto is an AWS emulator started for one test on a free loopback port.
type moto struct {
	endpoint string
}

// startMoto starts moto_server and stops it when the test ends.
func startMoto(t *testing.T) *moto {
	t.Helper()
	bin := need(t, "moto_server")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	m := &moto{endpoint: fmt.Sprintf("http://127.0.0.1:%d", port)}
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(m.endpoint + "/")
		if err == nil {
			resp.Body.Close()
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("moto_server did not start: %v\n%s", err, log.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// python runs the helper script with a command, stdin and a JSON answer.
func (m *moto) python(t *testing.T, command string, in, out any) {
	t.Helper()
	py := need(t, "python3")
	cmd := exec.Command(py, "testdata/moto.py", command, m.endpoint)
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdin = bytes.NewReader(data)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	data, err := cmd.Output()
	if err != nil {
		t.Fatalf("moto.py %s: %v\n%s", command, err, stderr.String())
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("moto.py %s: %v", command, err)
		}
	}
}
