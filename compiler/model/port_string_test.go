package model

import (
	"fmt"
	"strings"
	"testing"
)

// portStringFmt is Port.String as it was written with fmt, the reference
// for the strconv one.
func portStringFmt(p Port) string {
	switch p.Protocol {
	case All:
		return "all"
	case TCP, UDP:
		if p.From == p.To {
			return fmt.Sprintf("%s/%d", p.Protocol, p.From)
		}
		return fmt.Sprintf("%s/%d-%d", p.Protocol, p.From, p.To)
	case ICMP, ICMPv6:
		switch {
		case p.From == -1:
			return string(p.Protocol) + "/all"
		case p.To == -1:
			return fmt.Sprintf("%s/%d", p.Protocol, p.From)
		}
		return fmt.Sprintf("%s/%d:%d", p.Protocol, p.From, p.To)
	}
	return "proto/" + string(p.Protocol)
}

// TestPortStringIsFmt holds Port.String and PortsString to the fmt forms
// they replaced, over every protocol and the edges of the numbers.
func TestPortStringIsFmt(t *testing.T) {
	var all []Port
	nums := []int{-1, 0, 1, 8, 22, 443, 1024, 65535}
	for _, proto := range []Protocol{All, TCP, UDP, ICMP, ICMPv6, "47", "50"} {
		for _, from := range nums {
			for _, to := range nums {
				p := Port{Protocol: proto, From: from, To: to}
				all = append(all, p)
				if got, want := p.String(), portStringFmt(p); got != want {
					t.Errorf("%#v.String() = %q, want %q", p, got, want)
				}
			}
		}
	}
	want := make([]string, len(all))
	for i, p := range all {
		want[i] = portStringFmt(p)
	}
	if got := PortsString(all); got != strings.Join(want, ", ") {
		t.Errorf("PortsString differs from the fmt forms joined:\n%s\n%s", got, strings.Join(want, ", "))
	}
	if got := PortsString(nil); got != "" {
		t.Errorf("PortsString(nil) = %q", got)
	}
}
