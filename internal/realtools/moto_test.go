package realtools

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/sgc-dev/sgc/internal/motoserver"
	"github.com/sgc-dev/sgc/internal/testproc"
)

// moto is the emulator of a test.
type moto struct {
	endpoint string
}

// startMoto starts moto_server and stops it when the test ends.
func startMoto(t *testing.T) *moto {
	t.Helper()
	return &moto{endpoint: motoserver.Start(t).Endpoint}
}

// python runs the helper script with a command, stdin and a JSON answer.
func (m *moto) python(t *testing.T, command string, in, out any) {
	t.Helper()
	py := need(t, "python3")
	cmd := testproc.Command(t, py, "testdata/moto.py", command, m.endpoint)
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
