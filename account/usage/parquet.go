package usage

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// parquetMagic begins (and ends) every Parquet file.
var parquetMagic = []byte("PAR1")

// MaxParquet bounds a Parquet file sgc reads: S3 receives one per
// interval of a few minutes, far smaller; a larger file is refused rather
// than mapped into memory by the reader.
const MaxParquet = 1 << 30

// ReadFile streams the flow log records of a file as S3 receives it to
// fn: text (gzip or not, Read) or Parquet (told by its first bytes,
// ReadParquet).
func ReadFile(name string, format *Format, fn func(*Record)) (Stats, error) {
	f, err := os.Open(name)
	if err != nil {
		return Stats{}, err
	}
	defer f.Close()
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	if n == 4 && string(head) == string(parquetMagic) {
		info, err := f.Stat()
		if err != nil {
			return Stats{}, err
		}
		return ReadParquet(f, info.Size(), fn)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return Stats{}, err
	}
	return Read(f, format, fn)
}

// ReadParquet streams the records of a flow log in Parquet (S3's
// Parquet delivery: the fields as columns, named with underscores,
// interface_id, log_status) to fn. Each row is read as the text record it
// stands for, so both forms are judged by one parser.
func ReadParquet(r io.ReaderAt, size int64, fn func(*Record)) (st Stats, err error) {
	if size > MaxParquet {
		return st, fmt.Errorf("a Parquet file of %d MiB: flow log files are far smaller (at most %d MiB read)", size>>20, MaxParquet>>20)
	}
	defer func() {
		// The reader trusts the file's metadata; a file that lies about it
		// is an error here, never a crash.
		if p := recover(); p != nil {
			err = fmt.Errorf("not a readable Parquet file: %v", p)
		}
	}()
	pf, err := parquet.OpenFile(r, size)
	if err != nil {
		return st, fmt.Errorf("not a Parquet file: %v", err)
	}
	var names []string
	for _, path := range pf.Schema().Columns() {
		names = append(names, strings.Join(path, "."))
	}
	format, err := ParseFormat(strings.Join(names, " "))
	if err != nil {
		return st, fmt.Errorf("the Parquet file's columns: %v", err)
	}
	var (
		rec  Record
		cols = make([]string, 0, 64)
		rows = make([]parquet.Row, 64)
		line strings.Builder
	)
	for _, rg := range pf.RowGroups() {
		rr := rg.Rows()
		for {
			n, err := rr.ReadRows(rows)
			for _, row := range rows[:n] {
				line.Reset()
				vals := make([]string, len(names))
				for i := range vals {
					vals[i] = "-"
				}
				for _, v := range row {
					if c := v.Column(); c >= 0 && c < len(vals) && !v.IsNull() {
						if s := v.String(); s != "" && !strings.ContainsAny(s, " \n") {
							vals[c] = s
						}
					}
				}
				for i, s := range vals {
					if i > 0 {
						line.WriteByte(' ')
					}
					line.WriteString(s)
				}
				row := st.Records + st.NoData + st.Malformed + 1
				st.feed(format, line.String(), cols, &rec, fn, func() string { return fmt.Sprintf("row %d", row) })
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				rr.Close()
				return st, fmt.Errorf("reading the Parquet file: %v", err)
			}
		}
		rr.Close()
	}
	return st, nil
}
