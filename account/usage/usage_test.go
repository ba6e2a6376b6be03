package usage

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"golang.org/x/tools/txtar"

	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/internal/golden"
	"github.com/sgc-dev/sgc/internal/testkit"
)

// analyze runs an archive: its policy, interfaces (interfaces.json) and
// groups ("sg-id name" lines), and its logs: *.log files as S3 has them,
// *.log.gz the same gzipped by the test, *.cw lines of the format in the
// "format" section (CloudWatch events).
func analyze(t *testing.T, a *txtar.Archive) (Report, []string) {
	t.Helper()
	prog := testkit.Compile(t, golden.Inputs(a, ".intent"))
	ifs, err := live.ParseInterfaces(golden.Input(a, "interfaces.json"))
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(golden.Input(a, "groups"))), "\n") {
		if f := strings.Fields(l); len(f) == 2 {
			groups[f[0]] = f[1]
		}
	}
	an := NewAnalyzer(prog, groups, ifs)
	var (
		st   Stats
		errs []string
	)
	for _, f := range a.Files {
		var format *Format
		data := f.Data
		switch {
		case strings.HasSuffix(f.Name, ".log"):
		case strings.HasSuffix(f.Name, ".log.gz"):
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write(data)
			zw.Close()
			data = b.Bytes()
			if strings.Contains(f.Name, "truncated") {
				data = data[:len(data)/2]
			}
		case strings.HasSuffix(f.Name, ".parquet"):
			data = toParquet(t, data)
			s, err := ReadParquet(bytes.NewReader(data), int64(len(data)), an.Add)
			if err != nil {
				errs = append(errs, f.Name+": "+err.Error())
			}
			st.Add(s)
			continue
		case strings.HasSuffix(f.Name, ".cw"):
			if format, err = ParseFormat(string(golden.Input(a, "format"))); err != nil {
				t.Fatal(err)
			}
		default:
			continue
		}
		s, err := Read(bytes.NewReader(data), format, an.Add)
		if err != nil {
			errs = append(errs, f.Name+": "+err.Error())
		}
		st.Add(s)
	}
	opts := Options{}
	if d := strings.TrimSpace(string(golden.Input(a, "unused-for"))); d != "" {
		days, _ := time.ParseDuration(d)
		opts.UnusedFor = days
	}
	return an.Report(st, opts), errs
}

func TestGolden(t *testing.T) {
	golden.Run(t, "testdata", func(t *testing.T, a *txtar.Archive) map[string]string {
		rep, errs := analyze(t, a)
		var text, js bytes.Buffer
		rep.WriteText(&text)
		if err := rep.WriteJSON(&js); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{"report.txt": text.String(), "report.json": js.String()}
		if len(errs) > 0 {
			out["errors"] = strings.Join(errs, "\n") + "\n"
		}
		return out
	})
}

// TestFormatsAgree: the same traffic logged in the default format, in a
// custom format with the fields reordered and more of them (gzip), as
// CloudWatch events of a custom format, and as Parquet gives the same
// report.
func TestFormatsAgree(t *testing.T) {
	a, err := txtar.ParseFile("testdata/formats.txtar")
	if err != nil {
		t.Fatal(err)
	}
	only := func(keep string) *txtar.Archive {
		b := &txtar.Archive{}
		for _, f := range a.Files {
			if !strings.Contains(f.Name, ".log") && !strings.HasSuffix(f.Name, ".cw") && !strings.HasSuffix(f.Name, ".parquet") || strings.HasPrefix(f.Name, keep) {
				b.Files = append(b.Files, f)
			}
		}
		return b
	}
	var texts []string
	for _, k := range []string{"default", "custom", "cloudwatch", "parquet"} {
		rep, errs := analyze(t, only(k))
		if len(errs) > 0 {
			t.Fatalf("%s: %v", k, errs)
		}
		if rep.Stats.Records == 0 {
			t.Fatalf("%s: no records", k)
		}
		var b bytes.Buffer
		rep.WriteText(&b)
		texts = append(texts, b.String())
	}
	for i := 1; i < len(texts); i++ {
		if texts[i] != texts[0] {
			t.Errorf("format %d gives another report:\n%s\nthan the default:\n%s", i, texts[i], texts[0])
		}
	}
}

// parquetRow is a flow log row as S3's Parquet delivery has it (the types
// of AWS's Athena table for it: version, ports int; the rest bigint or
// string).
type parquetRow struct {
	Version     int32  `parquet:"version"`
	AccountID   string `parquet:"account_id"`
	InterfaceID string `parquet:"interface_id"`
	Srcaddr     string `parquet:"srcaddr,optional"`
	Dstaddr     string `parquet:"dstaddr,optional"`
	Srcport     *int32 `parquet:"srcport,optional"`
	Dstport     *int32 `parquet:"dstport,optional"`
	Protocol    *int64 `parquet:"protocol,optional"`
	Packets     *int64 `parquet:"packets,optional"`
	Bytes       *int64 `parquet:"bytes,optional"`
	Start       int64  `parquet:"start"`
	End         int64  `parquet:"end"`
	Action      string `parquet:"action,optional"`
	LogStatus   string `parquet:"log_status"`
}

// toParquet writes a default-format text log (header first) as a
// gzip-compressed Parquet file.
func toParquet(t *testing.T, text []byte) []byte {
	t.Helper()
	var rows []parquetRow
	for i, l := range strings.Split(strings.TrimSpace(string(text)), "\n") {
		f := strings.Fields(l)
		if i == 0 || len(f) != 14 {
			continue
		}
		num := func(s string) int64 {
			var n int64
			fmt.Sscan(s, &n)
			return n
		}
		p32 := func(s string) *int32 {
			if s == "-" {
				return nil
			}
			v := int32(num(s))
			return &v
		}
		p64 := func(s string) *int64 {
			if s == "-" {
				return nil
			}
			v := num(s)
			return &v
		}
		str := func(s string) string {
			if s == "-" {
				return ""
			}
			return s
		}
		rows = append(rows, parquetRow{Version: int32(num(f[0])), AccountID: f[1], InterfaceID: f[2], Srcaddr: str(f[3]), Dstaddr: str(f[4]),
			Srcport: p32(f[5]), Dstport: p32(f[6]), Protocol: p64(f[7]), Packets: p64(f[8]), Bytes: p64(f[9]),
			Start: num(f[10]), End: num(f[11]), Action: str(f[12]), LogStatus: f[13]})
	}
	var b bytes.Buffer
	w := parquet.NewGenericWriter[parquetRow](&b, parquet.Compression(&parquet.Gzip))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
