package activity

import (
	"bytes"
	"compress/gzip"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

func events(t *testing.T, data []byte) ([]*Event, int) {
	t.Helper()
	var out []*Event
	skipped, err := Read(bytes.NewReader(data), func(e *Event) { out = append(out, e) })
	if err != nil {
		t.Fatal(err)
	}
	return out, skipped
}

// TestReport: a trail of every kind (a rule opened to the internet and
// revoked 20 minutes later, a pipeline change, a refused call, a change on
// another team's group, an S3 event, tags added and removed, an IPv6 rule
// left open, a rule modified, descriptions updated by the pipeline, a group
// created elsewhere, a refused delete, a record that cannot be read) gives the findings the report promises, in
// order, with principal, address and sgr- id.
func TestReport(t *testing.T) {
	data, err := os.ReadFile("testdata/trail.json")
	if err != nil {
		t.Fatal(err)
	}
	evs, skipped := events(t, data)
	rep := Analyze(evs, Options{Groups: map[string]string{"sg-00000000000000001": "web", "sg-00000000000000002": "db"},
		Pipeline: []string{"arn:aws:iam::111111111111:role/deploy-*"}})
	rep.Skipped = skipped
	var b strings.Builder
	rep.WriteText(&b)
	want := `2026-11-30T10:00:00Z  open-to-internet  web (sg-00000000000000001): AuthorizeSecurityGroupIngress ingress tcp/22 from 0.0.0.0/0 (sgr-00000000000000001)
    by arn:aws:iam::111111111111:user/alice from 198.51.100.7: opened to the whole internet
2026-11-30T10:00:00Z  opened-and-closed web (sg-00000000000000001): AuthorizeSecurityGroupIngress ingress tcp/22 from 0.0.0.0/0 (sgr-00000000000000001)
    by arn:aws:iam::111111111111:user/alice from 198.51.100.7: revoked 20m0s later by arn:aws:iam::111111111111:user/alice
2026-11-30T10:00:00Z  outside-pipeline  web (sg-00000000000000001): AuthorizeSecurityGroupIngress ingress tcp/22 from 0.0.0.0/0
    by arn:aws:iam::111111111111:user/alice from 198.51.100.7: a change made outside the pipeline
2026-11-30T10:20:00Z  outside-pipeline  web (sg-00000000000000001): RevokeSecurityGroupIngress ingress tcp/22 from 0.0.0.0/0
    by arn:aws:iam::111111111111:user/alice from 198.51.100.7: a change made outside the pipeline
2026-11-30T11:30:00Z  failed            db (sg-00000000000000002): AuthorizeSecurityGroupEgress
    by arn:aws:iam::111111111111:user/bob from 203.0.113.9: refused: Client.UnauthorizedOperation
2026-11-30T11:50:00Z  outside-pipeline  web (sg-00000000000000001): CreateTags
    by arn:aws:iam::111111111111:user/alice from 198.51.100.7: a change made outside the pipeline
2026-11-30T12:00:00Z  open-to-internet  web (sg-00000000000000001): AuthorizeSecurityGroupIngress ingress tcp/443 from ::/0 (sgr-00000000000000003)
    by arn:aws:iam::111111111111:user/alice from 198.51.100.7: opened to the whole internet
2026-11-30T12:00:00Z  outside-pipeline  web (sg-00000000000000001): AuthorizeSecurityGroupIngress ingress tcp/443 from ::/0
    by arn:aws:iam::111111111111:user/alice from 198.51.100.7: a change made outside the pipeline
2026-11-30T12:30:00Z  outside-pipeline  db (sg-00000000000000002): ModifySecurityGroupRules (sgr-00000000000000002)
    by arn:aws:iam::111111111111:user/alice from 198.51.100.7: a change made outside the pipeline
2026-11-30T12:55:00Z  failed            db (sg-00000000000000002): DeleteSecurityGroup
    by arn:aws:iam::111111111111:user/alice from 198.51.100.7: refused: Client.DependencyViolation
2026-11-30T13:00:00Z  outside-pipeline  web (sg-00000000000000001): DeleteTags
    by arn:aws:iam::111111111111:user/alice from 198.51.100.7: a change made outside the pipeline
activity: 10 security group call(s) on the policy's groups; 6 outside-pipeline, 1 opened-and-closed, 2 open-to-internet, 2 failed; 1 record(s) could not be read
`
	if b.String() != want {
		t.Errorf("report:\n%s\nwant:\n%s", b.String(), want)
	}
	// A revoke later than the window is not "opened and closed".
	rep = Analyze(evs, Options{Groups: map[string]string{"sg-00000000000000001": "web"}, Window: 10 * 60e9})
	for _, f := range rep.Findings {
		if f.Kind == OpenedAndClosed {
			t.Errorf("a 20-minute-old rule is opened-and-closed within 10 minutes: %+v", f)
		}
	}
}

// TestReadGzipAndRefuses: a gzip log reads as the plain one; what is not a
// CloudTrail log, or is cut short, is an error, never a crash.
func TestReadGzipAndRefuses(t *testing.T) {
	data, _ := os.ReadFile("testdata/trail.json")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	plain, _ := events(t, data)
	zipped, _ := events(t, gz.Bytes())
	if len(plain) != 12 || len(zipped) != len(plain) {
		t.Errorf("%d events plain, %d gzip; want the 12 readable security group calls", len(plain), len(zipped))
	}
	for name, in := range map[string][]byte{
		"a list":                   []byte(`[{"eventName": "x"}]`),
		"no Records":               []byte(`{"records": []}`),
		"Records not a list":       []byte(`{"Records": {}}`),
		"cut short":                data[:len(data)/2],
		"truncated gzip":           gz.Bytes()[:gz.Len()/2],
		"not gzip after the magic": {0x1f, 0x8b, 0, 0},
		"a huge record":            []byte(`{"Records": ["` + strings.Repeat("x", 2*MaxRecord) + `"]}`),
	} {
		if _, err := Read(bytes.NewReader(in), func(*Event) {}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// FuzzRead: any input gives events or an error, never a panic.
func FuzzRead(f *testing.F) {
	data, _ := os.ReadFile("testdata/trail.json")
	f.Add(data)
	f.Fuzz(func(t *testing.T, data []byte) {
		var evs []*Event
		Read(bytes.NewReader(data), func(e *Event) { evs = append(evs, e) })
		Analyze(evs, Options{Groups: map[string]string{"sg-00000000000000001": "web"}})
	})
}

// TestNextRevokes holds the one-pass index of revokes to looking through
// the rest of the trail from each change.
func TestNextRevokes(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	changes := make([]change, 2000)
	for i := range changes {
		changes[i] = change{key: string(rune('a' + rng.IntN(20))), open: rng.IntN(3) > 0}
	}
	next := nextRevokes(changes)
	for i, c := range changes {
		want := -1
		for j := i + 1; j < len(changes); j++ {
			if !changes[j].open && changes[j].key == c.key {
				want = j
				break
			}
		}
		if next[i] != want {
			t.Fatalf("change %d: next revoke %d, want %d", i, next[i], want)
		}
	}
}
