package usage

import (
	"bytes"
	"testing"
)

// FuzzRead feeds arbitrary bytes to the text reader: never a panic, and a
// count of every line it took as a record.
func FuzzRead(f *testing.F) {
	f.Add([]byte("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n2 1 eni-0a0a0a0a 10.0.0.1 10.0.0.2 1 443 6 1 1 1 2 ACCEPT OK\n"))
	f.Add([]byte("${interface-id} ${srcaddr} ${dstaddr} ${dstport} ${protocol} ${action} ${flow-direction}\neni-1 ::1 ::2 53 17 REJECT egress\n"))
	f.Add([]byte("2 1 eni-0a0a0a0a - - - - - - - 1 2 - NODATA\n"))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		st, _ := Read(bytes.NewReader(data), nil, func(r *Record) {
			n++
			if r.SrcPort > 65535 || r.DstPort > 65535 || r.Protocol > 255 || r.SrcPort < 0 {
				t.Fatalf("a record out of range: %+v", r)
			}
		})
		if n != st.Records {
			t.Fatalf("%d records passed on, %d counted", n, st.Records)
		}
	})
}

// FuzzParquet feeds arbitrary bytes to the Parquet reader: an error, never
// a panic or a hang.
func FuzzParquet(f *testing.F) {
	f.Add([]byte("PAR1"))
	f.Add(append([]byte("PAR1"), make([]byte, 64)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		ReadParquet(bytes.NewReader(data), int64(len(data)), func(*Record) {})
	})
}
