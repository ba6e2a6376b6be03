// Package usage reads VPC Flow Logs and says, for each flow of a policy,
// whether traffic used it: records, bytes, first and last seen, top peers;
// the flows nobody used; networks far wider than what talked; accepted
// traffic no flow explains; rejected traffic by destination and port.
//
// It streams: a record is parsed into a reused value and folded into
// counters at once, so memory is bounded by the policy and the number of
// distinct peers, never by the size of the logs.
package usage

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// Record is one flow log record, the fields sgc reads.
type Record struct {
	Interface        string // eni-...
	Src, Dst         netip.Addr
	SrcPort, DstPort int
	Protocol         int   // IANA number
	Packets, Bytes   int64 // 0 when not logged
	Start, End       int64 // Unix seconds
	Accept           bool  // action ACCEPT (else REJECT)
	Direction        byte  // 'i' ingress, 'e' egress, 0 when the format has no flow-direction
}

// The fields sgc reads, by their names in flow log formats.
const (
	fVersion = iota
	fInterface
	fSrc
	fDst
	fSrcPort
	fDstPort
	fProtocol
	fPackets
	fBytes
	fStart
	fEnd
	fAction
	fStatus
	fDirection
	nFields
)

var fieldNames = [nFields]string{"version", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol",
	"packets", "bytes", "start", "end", "action", "log-status", "flow-direction"}

// required are the fields a format must have for sgc to judge a record.
var required = []int{fInterface, fSrc, fDst, fDstPort, fProtocol, fAction}

// Format says where each field stands in a record.
type Format struct {
	at [nFields]int // column of each field, -1 when absent
	n  int          // columns in all
}

// DefaultFormat is the default (version 2) format.
var DefaultFormat = mustFormat("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status")

func mustFormat(s string) *Format {
	f, err := ParseFormat(s)
	if err != nil {
		panic(err)
	}
	return f
}

// ParseFormat reads a format: the header line of a file S3 received
// ("version interface-id srcaddr ..."), or the format a flow log was
// created with ("${version} ${interface-id} ..."). Fields sgc does not read
// are skipped over; those it needs must be there.
func ParseFormat(s string) (*Format, error) {
	f := &Format{}
	for i := range f.at {
		f.at[i] = -1
	}
	cols := strings.Fields(s)
	if len(cols) > 100 {
		return nil, fmt.Errorf("a format of %d fields: flow logs have fewer than 60", len(cols))
	}
	for i, c := range cols {
		c = strings.TrimSuffix(strings.TrimPrefix(c, "${"), "}")
		// Parquet and Athena spell the names with underscores.
		c = strings.ReplaceAll(c, "_", "-")
		for k, name := range fieldNames {
			if c == name {
				if f.at[k] >= 0 {
					return nil, fmt.Errorf("the format names %s twice", name)
				}
				f.at[k] = i
			}
		}
	}
	f.n = len(cols)
	var missing []string
	for _, k := range required {
		if f.at[k] < 0 {
			missing = append(missing, fieldNames[k])
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the format lacks %s, which sgc needs to judge a record", strings.Join(missing, ", "))
	}
	return f, nil
}

// Outcomes of parsing one line.
var (
	errNoData = errors.New("no data") // a NODATA or SKIPDATA record: nothing was logged
)

// parse reads line into r, with cols as scratch space. A line of the wrong
// shape is an error the reader counts; a record without data is errNoData.
func (f *Format) parse(line string, cols []string, r *Record) error {
	cols = cols[:0]
	for len(line) > 0 {
		i := strings.IndexByte(line, ' ')
		if i < 0 {
			cols = append(cols, line)
			break
		}
		if i > 0 {
			cols = append(cols, line[:i])
		}
		line = line[i+1:]
		if len(cols) > f.n {
			break
		}
	}
	if len(cols) != f.n {
		return fmt.Errorf("%d fields, the format has %d", len(cols), f.n)
	}
	get := func(k int) string {
		if f.at[k] < 0 {
			return "-"
		}
		return cols[f.at[k]]
	}
	if v := get(fVersion); v != "-" && (len(v) > 1 || v[0] < '2' || v[0] > '9') {
		return fmt.Errorf("version %.10q: flow logs have versions 2 to 9", v)
	}
	if s := get(fStatus); s == "NODATA" || s == "SKIPDATA" {
		return errNoData
	}
	var err error
	r.Interface = get(fInterface)
	if r.Src, err = addr(get(fSrc)); err != nil {
		return err
	}
	if r.Dst, err = addr(get(fDst)); err != nil {
		return err
	}
	if r.SrcPort, err = number(get(fSrcPort), 65535); err != nil {
		return err
	}
	if r.DstPort, err = number(get(fDstPort), 65535); err != nil {
		return err
	}
	if r.Protocol, err = number(get(fProtocol), 255); err != nil {
		return err
	}
	var n int
	if n, err = number(get(fPackets), 1<<62); err != nil {
		return err
	}
	r.Packets = int64(n)
	if n, err = number(get(fBytes), 1<<62); err != nil {
		return err
	}
	r.Bytes = int64(n)
	if n, err = number(get(fStart), 1<<40); err != nil {
		return err
	}
	r.Start = int64(n)
	if n, err = number(get(fEnd), 1<<40); err != nil {
		return err
	}
	r.End = int64(n)
	switch get(fAction) {
	case "ACCEPT":
		r.Accept = true
	case "REJECT":
		r.Accept = false
	default:
		return fmt.Errorf("action %.20q", get(fAction))
	}
	switch get(fDirection) {
	case "ingress":
		r.Direction = 'i'
	case "egress":
		r.Direction = 'e'
	default:
		r.Direction = 0
	}
	return nil
}

func addr(s string) (netip.Addr, error) {
	if s == "-" {
		return netip.Addr{}, nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return a, fmt.Errorf("address %.50q", s)
	}
	return a.Unmap(), nil
}

// number reads a decimal of at most max, "-" being 0, without allocating.
func number(s string, max int) (int, error) {
	if s == "-" {
		return 0, nil
	}
	if s == "" || len(s) > 19 {
		return 0, fmt.Errorf("number %.20q", s)
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("number %.20q", s)
		}
		n = n*10 + int(c-'0')
		if n > max {
			return 0, fmt.Errorf("number %.20q is out of range", s)
		}
	}
	return n, nil
}
