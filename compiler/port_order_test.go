package compiler_test

import (
	"fmt"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
)

// TestPortOrder holds the number rules are sorted by to Port.Less, over
// every form of port the compiler makes: equal numbers for equal ports,
// and the order Less gives.
func TestPortOrder(t *testing.T) {
	var ports []model.Port
	ports = append(ports, model.Port{Protocol: model.All, From: -1, To: -1})
	for _, proto := range []model.Protocol{model.TCP, model.UDP} {
		for _, r := range [][2]int{{0, 0}, {0, 65535}, {1, 1}, {22, 22}, {80, 443}, {443, 443}, {8000, 8099}, {65535, 65535}} {
			ports = append(ports, model.Port{Protocol: proto, From: r[0], To: r[1]})
		}
	}
	for _, proto := range []model.Protocol{model.ICMP, model.ICMPv6} {
		for _, r := range [][2]int{{-1, -1}, {0, -1}, {3, -1}, {3, 0}, {3, 4}, {128, -1}, {255, 255}} {
			ports = append(ports, model.Port{Protocol: proto, From: r[0], To: r[1]})
		}
	}
	for _, n := range []int{0, 2, 4, 47, 50, 51, 132, 255} {
		ports = append(ports, model.Port{Protocol: model.Protocol(fmt.Sprint(n)), From: -1, To: -1})
	}
	for _, a := range ports {
		for _, b := range ports {
			oa, ob := compiler.PortOrder(a), compiler.PortOrder(b)
			if (oa == ob) != (a == b) || (oa < ob) != a.Less(b) {
				t.Errorf("%v and %v: orders %d and %d; equal %v, Less %v", a, b, oa, ob, a == b, a.Less(b))
			}
		}
	}
}
