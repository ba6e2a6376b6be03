package compiler

import (
	"net/netip"
	"sort"

	"github.com/sgc-dev/sgc/lang/ast"
)

// cidr checks an address and returns its block. A block with host bits set
// is reported with the block that was probably meant.
func (c *compiler) cidr(a *ast.Address) netip.Prefix {
	p := a.Prefix
	if p.Addr().Is4In6() {
		// Terraform and AWS refuse ::ffff:a.b.c.d as an IPv6 block; the
		// IPv4 block it stands for is what was meant.
		bits := p.Bits() - 96
		v4 := netip.PrefixFrom(p.Addr().Unmap(), max(bits, 0)).Masked()
		d := c.diags.Errorf(a.Range(), IPv4MappedAddress, "%s is an IPv4-mapped IPv6 address", a.Text).
			WithDetail("AWS and Terraform refuse IPv4 addresses written in IPv6 form; write the IPv4 block.")
		if bits >= 0 {
			d.WithSuggestion("Did you mean %s?", v4)
		}
		return netip.Prefix{}
	}
	if m := p.Masked(); m != p {
		c.diags.Errorf(a.Range(), HostBitsSet, "CIDR block %s has host bits set", a.Text).
			WithDetail("AWS refuses a block whose address has bits set after the prefix length.").
			WithSuggestion("Did you mean the block %s, or the single host %s?", m, netip.PrefixFrom(p.Addr(), p.Addr().BitLen()))
		return m
	}
	return p
}

func sortPrefixes(ps []netip.Prefix) []netip.Prefix {
	sort.Slice(ps, func(i, j int) bool { return lessPrefix(ps[i], ps[j]) })
	out := ps[:0]
	for i, p := range ps {
		if i == 0 || p != ps[i-1] {
			out = append(out, p)
		}
	}
	return out
}

func lessPrefix(a, b netip.Prefix) bool {
	if c := a.Addr().Compare(b.Addr()); c != 0 {
		return c < 0
	}
	return a.Bits() < b.Bits()
}
