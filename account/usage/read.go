package usage

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxLine bounds one line of a flow log file: a record of every field AWS
// offers is well under 2 KiB.
const MaxLine = 64 << 10

// Stats counts what a read met besides records.
type Stats struct {
	Records   int // records read
	NoData    int // NODATA and SKIPDATA records
	Malformed int // lines that are not a record of the format
	// FirstError is what was wrong with the first malformed line, for the
	// user to see (its line number in its file).
	FirstError string
}

// Add counts o's into s: the stats of several files or sources.
func (s *Stats) Add(o Stats) {
	s.Records += o.Records
	s.NoData += o.NoData
	s.Malformed += o.Malformed
	if s.FirstError == "" {
		s.FirstError = o.FirstError
	}
}

// feed parses one line of format into rec and passes it to fn, counting
// what it was: a record, a record without data, or a line that is none
// (where says where, for the first such line's message).
func (st *Stats) feed(format *Format, line string, cols []string, rec *Record, fn func(*Record), where func() string) {
	switch err := format.parse(line, cols, rec); {
	case err == nil:
		st.Records++
		fn(rec)
	case errors.Is(err, errNoData):
		st.NoData++
	default:
		st.Malformed++
		if st.FirstError == "" {
			st.FirstError = fmt.Sprintf("%s: %v", where(), err)
		}
	}
}

// Read streams the flow log records of r to fn, one at a time (the
// Record is reused: fn keeps nothing of it but values). r is a file as S3
// receives it, gzip or not (told by its first bytes), whose first line
// names its fields; or, with format set, lines of that format (CloudWatch
// Logs events, which carry no header). A line that is not a record of the
// format is counted, not fatal; a file that is not a flow log at all, or
// is cut short, is an error.
func Read(r io.Reader, format *Format, fn func(*Record)) (Stats, error) {
	var st Stats
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(2)
	var in io.Reader = br
	if bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return st, fmt.Errorf("not a gzip file: %v", err)
		}
		defer zr.Close()
		in = zr
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLine)
	var (
		rec  Record
		cols = make([]string, 0, 64)
		line = 0
	)
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if text == "" {
			continue
		}
		if format == nil {
			// The first line says the fields: a header, or a record of the
			// default format (the files of old flow logs have none).
			if text[0] >= '0' && text[0] <= '9' {
				format = DefaultFormat
			} else {
				f, err := ParseFormat(text)
				if err != nil {
					return st, fmt.Errorf("line 1 is neither a header naming flow log fields nor a record: %v", err)
				}
				format = f
				continue
			}
		}
		st.feed(format, text, cols, &rec, fn, func() string { return fmt.Sprintf("line %d", line) })
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return st, fmt.Errorf("line %d is longer than %d KiB: not a flow log", line+1, MaxLine>>10)
		}
		return st, fmt.Errorf("reading after line %d: %v (a file cut short?)", line, err)
	}
	return st, nil
}
