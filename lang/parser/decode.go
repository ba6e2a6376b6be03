package parser

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

// decoder checks the form of the words in a parsed statement and decodes
// them: names, strings, addresses, numbers, dates and port terms. Whether a
// value is in range is left to the compiler; here only the shape matters.
type decoder struct {
	diags  *diag.List
	failed bool
}

func (d *decoder) errorf(r source.Range, code, format string, args ...any) *diag.Diagnostic {
	d.failed = true
	return d.diags.Errorf(r, code, format, args...)
}

func (d *decoder) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.GroupDecl:
		d.ident(s.Name)
		d.str(s.Description)
		for _, f := range s.Formerly {
			d.ident(f)
		}
	case *ast.NetworkDecl:
		d.ident(s.Name)
		for _, a := range s.Addresses {
			d.address(a)
		}
		d.str(s.Description)
	case *ast.PrefixListDecl:
		d.ident(s.Name)
		if s.MaxEntries != nil {
			d.number(s.MaxEntries)
		}
		d.str(s.Description)
	case *ast.ExternalDecl:
		d.ident(s.Name)
		d.str(s.Description)
	case *ast.InterfaceDecl:
		d.ident(s.Name)
		for _, g := range s.Groups {
			d.ident(g)
		}
		d.str(s.Description)
	case *ast.ServiceDecl:
		d.ident(s.Name)
		d.ports(s.Ports)
	case *ast.EnvironmentDecl:
		d.ident(s.Name)
		d.str(s.Description)
	case *ast.Never:
		for _, sel := range []*ast.Selector{s.From, s.To} {
			if sel.Name != nil {
				d.ident(sel.Name)
			} else {
				d.str(sel.Pattern)
			}
		}
		if s.Ports != nil {
			d.ports(s.Ports)
		}
		for _, id := range s.Except {
			d.ident(id)
		}
		d.str(s.Reason)
	case *ast.Flow:
		d.ident(s.From)
		d.ident(s.To)
		d.ports(s.Ports)
		d.str(s.Purpose)
		if s.Until != nil {
			d.date(s.Until)
		}
	}
}

// validName is the language's rule for names, from the syntax tree's
// package, which import uses too.
var validName = ast.ValidName

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

func (d *decoder) ident(id *ast.Ident) {
	switch {
	case ast.Reserved[id.Name]:
		d.errorf(id.Range(), InvalidName, "%q is a reserved word and cannot be used as a name", id.Name)
	case !validName(id.Name):
		e := d.errorf(id.Range(), InvalidName, "invalid name %q", id.Name).
			WithDetail("A name is a letter followed by letters, digits, \"-\", \"_\" and \".\"; lower-case kebab case is the convention.")
		if looksLikeAddress(id.Name) {
			e.WithSuggestion("Addresses are declared once with a name, and flows use the name: network office %s \"...\"", id.Name)
		}
	}
}

// looksLikeAddress reports whether s reads as an address or block.
func looksLikeAddress(s string) bool {
	if _, err := netip.ParsePrefix(s); err == nil {
		return true
	}
	_, err := netip.ParseAddr(s)
	return err == nil
}

// str resolves the escapes \" and \\; any other escape is an error at the
// backslash.
func (d *decoder) str(s *ast.String) {
	raw := s.Raw[1 : len(s.Raw)-1]
	if strings.IndexByte(raw, '\\') < 0 {
		// Nearly every string: its value is its text, shared with the
		// source rather than copied a byte at a time.
		s.Value = raw
		return
	}
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		// The lexer guarantees a character follows a backslash.
		next := raw[i+1]
		if next != '"' && next != '\\' {
			start := s.Pos.Advance(1 + i)
			d.errorf(source.Range{Start: start, End: start.Advance(2)}, InvalidEscape,
				"unknown escape \\%c in string", next).
				WithDetail("Strings know two escapes: \\\" for a quote and \\\\ for a backslash.")
		}
		b.WriteByte(next)
		i++
	}
	s.Value = b.String()
}

func (d *decoder) address(a *ast.Address) {
	text := a.Text
	if strings.Contains(text, "/") {
		p, err := netip.ParsePrefix(text)
		if err != nil || p.Addr().Zone() != "" {
			d.errorf(a.Range(), InvalidAddress, "invalid CIDR block %q", text).
				WithDetail("Write an IPv4 or IPv6 block such as 10.0.0.0/16 or 2001:db8::/32.")
			return
		}
		a.Prefix = p
		return
	}
	addr, err := netip.ParseAddr(text)
	if err != nil || addr.Zone() != "" {
		d.errorf(a.Range(), InvalidAddress, "invalid address %q", text).
			WithDetail("Write an IPv4 or IPv6 block such as 10.0.0.0/16 or 2001:db8::/32, or a host address such as 203.0.113.42.")
		return
	}
	a.Prefix, a.Host = netip.PrefixFrom(addr, addr.BitLen()), true
}

// maxNumber bounds the numbers sgc reads: no field it checks is larger, and
// it keeps conversions far from overflow.
const maxNumber = 1 << 30

// parseNumber decodes decimal digits; a number past maxNumber decodes as -1
// so that every range check rejects it.
func parseNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > maxNumber {
		return -1, true
	}
	return n, true
}

func (d *decoder) number(n *ast.Number) {
	v, ok := parseNumber(n.Text)
	if !ok {
		d.errorf(n.Range(), InvalidNumber, "expected a number, found %q", n.Text)
		return
	}
	n.Value = v
}

func (d *decoder) date(dt *ast.Date) {
	t, err := time.Parse("2006-01-02", dt.Text)
	if err != nil {
		d.errorf(dt.Range(), InvalidDate, "invalid date %q", dt.Text).
			WithDetail("Dates are written YYYY-MM-DD and must exist; the flow expires at the start of that day, UTC.")
		return
	}
	dt.Time = t
}

func (d *decoder) ports(l *ast.PortList) {
	for _, t := range l.Terms {
		d.portTerm(t)
	}
}

// sub returns a node extent for text[i:j] of a word starting at start.
func sub(start source.Pos, i, j int) ast.Extent {
	return ast.Extent{Pos: start.Advance(i), EndPos: start.Advance(j)}
}

func numberAt(start source.Pos, text string, i, j int) (*ast.Number, bool) {
	n := &ast.Number{Extent: sub(start, i, j), Text: text[i:j]}
	v, ok := parseNumber(n.Text)
	n.Value = v
	return n, ok
}

// portTerm decodes one port term. The forms are:
//
//	all                      every protocol and port
//	NAME                     a service
//	tcp/P, tcp/P-Q           also udp
//	P, P-Q                   continues the protocol of the previous term
//	icmp/T, icmp/T:C, icmp/NAME, icmp/all    also icmpv6
//	proto/N                  an IP protocol number
func (d *decoder) portTerm(t *ast.PortTerm) {
	text, start := t.Text, t.Pos
	bad := func(detail string) {
		d.errorf(t.Range(), InvalidPort, "invalid port %q", text).WithDetail("%s", detail)
	}
	slash := strings.IndexByte(text, '/')
	if slash < 0 {
		switch {
		case text == "all":
			t.Kind = ast.PortAll
		case isDigit(text[0]):
			t.Kind = ast.PortRange
			d.portRange(t, text, start, 0)
		case validName(text):
			if ast.Reserved[text] {
				bad("A protocol needs its ports: write " + text + "/PORTS (for example tcp/443), or \"all\" for every protocol.")
				return
			}
			t.Kind = ast.PortService
			t.Name = &ast.Ident{Extent: sub(start, 0, len(text)), Name: text}
		default:
			bad("Ports are written tcp/443, tcp/8000-8099, udp/53, icmp/echo-request, icmp/3:4, icmpv6/128, proto/50, all, or a service name.")
		}
		return
	}
	proto, rest := text[:slash], text[slash+1:]
	t.Protocol = &ast.Ident{Extent: sub(start, 0, slash), Name: proto}
	restAt := slash + 1
	switch proto {
	case "tcp", "udp":
		t.Kind = ast.PortRange
		d.portRange(t, text, start, restAt)
	case "icmp", "icmpv6":
		t.Kind = ast.PortICMP
		if rest != "" && isLetter(rest[0]) {
			if !validName(rest) {
				bad("ICMP types are written by number (icmp/8), number and code (icmp/3:4) or name (icmp/echo-request).")
				return
			}
			t.Name = &ast.Ident{Extent: sub(start, restAt, len(text)), Name: rest}
			return
		}
		typ, hasCode := rest, false
		if i := strings.IndexByte(rest, ':'); i >= 0 {
			typ, hasCode = rest[:i], true
		}
		var ok bool
		if t.From, ok = numberAt(start, text, restAt, restAt+len(typ)); !ok {
			bad("ICMP types are written by number (icmp/8), number and code (icmp/3:4) or name (icmp/echo-request).")
			return
		}
		if hasCode {
			if t.To, ok = numberAt(start, text, restAt+len(typ)+1, len(text)); !ok {
				bad("An ICMP code is a number: icmp/3:4 is type 3, code 4.")
			}
		}
	case "proto":
		t.Kind = ast.PortProtocol
		end := strings.IndexAny(rest, "/:-")
		if end < 0 {
			end = len(rest)
		}
		var ok bool
		if t.From, ok = numberAt(start, text, restAt, restAt+end); !ok {
			bad("An IP protocol is written by number: proto/50 is ESP.")
			return
		}
		if end < len(rest) {
			d.errorf(source.Range{Start: start.Advance(restAt + end), End: start.Advance(len(text))}, InvalidPort,
				"protocol %s takes no ports", rest[:end]).
				WithDetail("AWS applies a rule for an IP protocol number to all of its traffic; write proto/%s alone.", rest[:end])
		}
	case "all":
		t.Kind = ast.PortAll
		d.errorf(source.Range{Start: start.Advance(slash), End: start.Advance(len(text))}, InvalidPort,
			"\"all\" takes no ports").
			WithDetail("\"all\" means every protocol and every port; to allow some ports, name the protocol: tcp/%s.", rest)
	default:
		d.errorf(t.Protocol.Range(), InvalidPort, "unknown protocol %q", proto).
			WithDetail("The protocols are tcp, udp, icmp, icmpv6, proto/N (an IP protocol number) and all.").
			WithSuggestion("%s", protoSuggestion(proto))
	}
}

func protoSuggestion(proto string) string {
	lower := strings.ToLower(proto)
	switch {
	case lower != proto && slices.Contains([]string{"tcp", "udp", "icmp", "icmpv6", "proto", "all"}, lower):
		return "Protocols are written in lower case: " + lower + "/..."
	case proto != "" && strings.Trim(proto, "0123456789") == "":
		return "The protocol comes first: tcp/" + proto + " (or udp/" + proto + ")."
	}
	if s := diag.Suggest(proto, []string{"tcp", "udp", "icmp", "icmpv6", "proto"}); s != "" {
		return "Did you mean \"" + s + "\"?"
	}
	return ""
}

// portRange decodes P or P-Q starting at byte i of the term.
func (d *decoder) portRange(t *ast.PortTerm, text string, start source.Pos, i int) {
	rest := text[i:]
	lo := rest
	dash := strings.IndexByte(rest, '-')
	if dash >= 0 {
		lo = rest[:dash]
	}
	var ok bool
	if t.From, ok = numberAt(start, text, i, i+len(lo)); !ok {
		d.errorf(t.Range(), InvalidPort, "invalid port %q", text).
			WithDetail("TCP and UDP ports are numbers or ranges: tcp/443, tcp/8000-8099, tcp/80,443.")
		return
	}
	if dash >= 0 {
		if t.To, ok = numberAt(start, text, i+dash+1, len(text)); !ok {
			d.errorf(t.Range(), InvalidPort, "invalid port range %q", text).
				WithDetail("A range is two numbers joined by \"-\": tcp/8000-8099.")
		}
	}
}
