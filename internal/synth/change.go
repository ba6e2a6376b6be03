package synth

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
)

// singlePort finds a flow of one TCP port, the port in its first group.
var singlePort = regexp.MustCompile(` tcp/([0-9]+) because`)

// PortChanged returns a copy of the policy srcs (as Generate writes it)
// with the first single TCP port of its first file moved by one: a
// change of one flow, the common pull request, that widens and narrows
// access. It returns false when the policy has no such flow.
func PortChanged(srcs map[string][]byte) (map[string][]byte, bool) {
	out := maps.Clone(srcs)
	if len(out) == 0 {
		return nil, false
	}
	name := slices.Min(slices.Collect(maps.Keys(out)))
	m := singlePort.FindSubmatchIndex(out[name])
	if m == nil {
		return nil, false
	}
	src := out[name]
	port, _ := strconv.Atoi(string(src[m[2]:m[3]]))
	out[name] = slices.Concat(src[:m[2]], []byte(strconv.Itoa(port%65535+1)), src[m[3]:])
	return out, true
}
