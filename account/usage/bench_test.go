package usage

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"testing"

	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/internal/testkit"
)

// benchPolicy is a policy of 40 groups, each reached on two ports from a
// network and from the group before it.
func benchSetup(tb testing.TB) (*Analyzer, []byte) {
	var src bytes.Buffer
	groups := map[string]string{}
	var ifs []live.Interface
	for i := range 40 {
		fmt.Fprintf(&src, "group g%d \"Group %d\"\n", i, i)
		fmt.Fprintf(&src, "network n%d 10.%d.0.0/16 \"Clients %d\"\n", i, 100+i, i)
		fmt.Fprintf(&src, "n%d -> g%d tcp/443, tcp/8000-8099 because \"clients call %d\"\n", i, i, i)
		if i > 0 {
			fmt.Fprintf(&src, "g%d -> g%d tcp/5432 because \"%d reads %d\"\n", i-1, i, i-1, i)
		}
		id := fmt.Sprintf("sg-%08x", i+1)
		groups[id] = fmt.Sprintf("g%d", i)
		in := live.Interface{ID: fmt.Sprintf("eni-%08x", i+1), Groups: []string{id}, Addresses: []netip.Addr{netip.MustParseAddr(fmt.Sprintf("10.0.%d.10", i))}}
		ifs = append(ifs, in)
	}
	prog := testkit.Compile(tb, map[string][]byte{"p.intent": src.Bytes()})
	// 100,000 records: clients, group to group, replies, scans.
	var logs bytes.Buffer
	logs.WriteString("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n")
	for k := range 100000 {
		i := k % 40
		switch k % 4 {
		case 0:
			fmt.Fprintf(&logs, "2 123456789012 eni-%08x 10.%d.%d.%d 10.0.%d.10 %d 443 6 10 %d 1764547200 1764547260 ACCEPT OK\n", i+1, 100+i, k%7, k%250, i, 30000+k%30000, 1000+k)
		case 1:
			fmt.Fprintf(&logs, "2 123456789012 eni-%08x 10.0.%d.10 10.0.%d.10 %d 5432 6 10 %d 1764547200 1764547260 ACCEPT OK\n", i+1, i, (i+1)%40, 30000+k%30000, 1000+k)
		case 2:
			fmt.Fprintf(&logs, "2 123456789012 eni-%08x 10.0.%d.10 10.%d.%d.%d 443 %d 6 10 %d 1764547200 1764547260 ACCEPT OK\n", i+1, i, 100+i, k%7, k%250, 30000+k%30000, 1000+k)
		default:
			fmt.Fprintf(&logs, "2 123456789012 eni-%08x 198.18.%d.%d 10.0.%d.10 %d 3389 6 1 40 1764547200 1764547260 REJECT OK\n", i+1, k%200, k%250, i, 30000+k%30000)
		}
	}
	return NewAnalyzer(prog, groups, ifs), logs.Bytes()
}

// BenchmarkUsage reads and judges flow log records, 100,000 per
// iteration (go test -bench Usage -benchtime 100x: 10 million records).
func BenchmarkUsage(b *testing.B) {
	a, logs := benchSetup(b)
	b.SetBytes(int64(len(logs)))
	b.ReportAllocs()
	records := 0
	for b.Loop() {
		st, err := Read(bytes.NewReader(logs), nil, a.Add)
		if err != nil {
			b.Fatal(err)
		}
		records += st.Records
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// TestMemoryBoundedByPeers: 400,000 records from as many distinct
// peers keep at most MaxPeers peers per entry (the counted work of the
// memory bound: map sizes, not bytes).
func TestMemoryBoundedByPeers(t *testing.T) {
	if testing.Short() {
		t.Skip("400,000 records")
	}
	a, _ := benchSetup(t)
	pr, pw := io.Pipe()
	go func() {
		fmt.Fprintln(pw, "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status")
		for k := range 200000 {
			fmt.Fprintf(pw, "2 1 eni-00000001 10.100.%d.%d 10.0.0.10 1 443 6 1 1 1764547200 1764547260 ACCEPT OK\n", (k>>8)&255, k&255)
			fmt.Fprintf(pw, "2 1 eni-00000001 172.%d.%d.%d 10.0.0.10 1 22 6 1 1 1764547200 1764547260 ACCEPT OK\n", 16+(k>>16)&15, (k>>8)&255, k&255)
		}
		pw.Close()
	}()
	st, err := Read(pr, nil, a.Add)
	if err != nil || st.Records != 400000 {
		t.Fatalf("%v %+v", err, st)
	}
	for f, tl := range a.flows {
		if len(tl.peers) > MaxPeers {
			t.Errorf("%s keeps %d peers", f.Key(), len(tl.peers))
		}
	}
	for k, tl := range a.unexplained {
		if len(tl.peers) > MaxPeers {
			t.Errorf("%v keeps %d peers", k, len(tl.peers))
		}
		if tl.Records != 200000 || tl.peersDropped != 200000-MaxPeers {
			t.Errorf("%v: %d records, %d dropped", k, tl.Records, tl.peersDropped)
		}
	}
}
