package cloudformation

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/parallel"
)

// Sizes of split stacks, kept under the limits with room to spare: group
// stacks are bound by the outputs limit (one export per group), rule stacks
// by the resources limit and, for long descriptions, by size.
const (
	groupsPerStack = MaxOutputs
	rulesPerStack  = MaxResources
)

// groupsStackParam names the parameter through which a rule stack learns
// the name of group stack i, to import the ids it exports.
func groupsStackParam(i int) string { return fmt.Sprintf("GroupsStack%d", i) }

// DefaultStackName is the stack name the split README and the parameter
// defaults assume for a template.
func DefaultStackName(template string) string { return "sgc-" + template }

// A split policy's stacks are updated one by one, so what goes into which
// stack must not depend on anything but the resource itself: a group or
// rule that moves between stacks is deleted from one and created in the
// other, which AWS refuses while the other still holds it
// (InvalidPermission.Duplicate, InvalidGroup.Duplicate) and which replaces
// a group. Each resource's stack is therefore a consistent hash of its
// identity (jump hashing): adding or removing a flow touches the stacks of
// its own rules and no other; only when the policy outgrows its stacks and
// one more is needed do some resources (about 1 in the new number of stacks)
// move, all of them into the new stack, and `sgc diff` names them.

// jump is Lamping and Veach's jump consistent hash: the bucket of key among
// n, such that growing n to n+1 moves keys only into the new bucket.
func jump(key uint64, n int) int {
	b, j := int64(-1), int64(0)
	for j < int64(n) {
		b = j
		key, j = jumpStep(key, b)
	}
	return int(b)
}

// jumpStep is one step of jump: from bucket b, the key's next state and
// the next bucket it jumps to (always past b; int64, as it can pass 2^31).
func jumpStep(key uint64, b int64) (uint64, int64) {
	key = key*2862933555777941757 + 1
	return key, int64(float64(b+1) * (float64(int64(1)<<31) / float64((key>>33)+1)))
}

// hashKey is the 64-bit hash of an identity.
func hashKey(identity string) uint64 { return hashBytes([]byte(identity)) }

// ruleHash is hashKey(r.IdentityKey()), without making the string: it is
// taken of every rule in a split build.
func ruleHash(r *model.Rule) uint64 {
	var buf [192]byte
	return hashBytes(r.AppendIdentityKey(buf[:0]))
}

// hashBytes is hashKey of an identity's bytes.
func hashBytes(identity []byte) uint64 {
	sum := sha256.Sum256(identity)
	return binary.BigEndian.Uint64(sum[:8])
}

// bucket spreads items over the fewest buckets, at least need, for which
// fits holds of each bucket of more than one item; bucket i's items keep
// their order. fits judges a bucket by its count and the sum of its items'
// sizes (size may be nil), and may ask for the items themselves.
//
// It tries n = need, need+1, … as a trial partition would, but without
// partitioning again for each n: jump hashing moves items only into the
// new bucket n when n grows, and each item's jumps are the steps of one
// jump computation, so the counts and sums of all trials cost about one
// jump per item in all (a trial partition cost one per item per trial:
// 30 trials at 50k flows). TestBucketMatchesTrials holds it to the trials.
func bucket[T any](items []T, key func(T) uint64, need int, size func(T) int, fits func(count, sum int, items func() []T) bool) [][]T {
	n := max(1, need)
	where := make([]int, len(items))   // each item's bucket among n
	keys := make([]uint64, len(items)) // each item's jump state
	next := map[int64][]int{}          // items by the bucket they move into next
	sizes := make([]int, len(items))
	counts, sums := make([]int, n), make([]int, n)
	// An item's key (a hash of its identity) and size depend on it alone:
	// they are taken side by side, the jumps that share counts after.
	const chunk = 1024
	parallel.Each((len(items)+chunk-1)/chunk, func(c int) {
		for i := c * chunk; i < min(len(items), (c+1)*chunk); i++ {
			keys[i] = key(items[i])
			if size != nil {
				sizes[i] = size(items[i])
			}
		}
	})
	for i := range items {
		k, b, j := keys[i], int64(-1), int64(0)
		for j < int64(n) {
			b = j
			k, j = jumpStep(k, b)
		}
		where[i], keys[i] = int(b), k
		next[j] = append(next[j], i)
		counts[b]++
		sums[b] += sizes[i]
	}
	for {
		ok := true
		for b := 0; b < n && ok; b++ {
			ok = counts[b] <= 1 || fits(counts[b], sums[b], func() []T { return members(items, where, b) })
		}
		if ok {
			out := make([][]T, n)
			for i, it := range items {
				out[where[i]] = append(out[where[i]], it)
			}
			return out
		}
		// One more bucket, b: the items whose next jump is b move into it.
		b := n
		n++
		counts, sums = append(counts, 0), append(sums, 0)
		for _, i := range next[int64(b)] {
			counts[where[i]]--
			sums[where[i]] -= sizes[i]
			where[i] = b
			counts[b]++
			sums[b] += sizes[i]
			var j int64
			keys[i], j = jumpStep(keys[i], int64(b))
			next[j] = append(next[j], i)
		}
		delete(next, int64(b))
	}
}

// members returns the items in bucket b, in their order.
func members[T any](items []T, where []int, b int) []T {
	var out []T
	for i, it := range items {
		if where[i] == b {
			out = append(out, it)
		}
	}
	return out
}

// splitTemplates spreads the program over group stacks (groups and their
// exported ids) and rule stacks (rules, importing the group ids), and
// renders each with render. An empty bucket gives no stack, and stacks keep
// their bucket's number, so a stack's name never changes either.
func splitTemplates(p *model.Program, n names, opts emit.Options, render func(*template) []byte) ([]*template, [][]byte) {
	var out []*template
	stackOf := groupStacks{}
	groupBuckets := bucket(p.Groups, func(g *model.Group) uint64 { return hashKey("group:" + g.Identity()) },
		(len(p.Groups)+groupsPerStack-1)/groupsPerStack, nil, func(count, _ int, _ func() []*model.Group) bool { return count <= groupsPerStack })
	// The group stacks are independent of each other: built side by side,
	// each into its own slot.
	groupTemplates := make([]*template, len(groupBuckets))
	ids := make([][]groupStack, len(groupBuckets))
	parallel.Each(len(groupBuckets), func(i int) {
		groups := groupBuckets[i]
		if len(groups) == 0 {
			return
		}
		t := newTemplate(fmt.Sprintf("groups-%d", i+1),
			description(p, fmt.Sprintf("Security groups, part %d of %d; their ids are exported for the rule stacks", i+1, len(groupBuckets))))
		t.params.set("VpcId", vpcParam())
		ids[i] = make([]groupStack, len(groups))
		param := groupsStackParam(i + 1)
		for j, g := range groups {
			id := importVal{sub{"${" + param + "}-" + n.export[g]}}
			ids[i][j] = groupStack{i + 1, id, importLine(id)}
			t.resources.set(n.group[g], groupResource(g, opts))
			associate(t, g, getAtt{n.group[g], "GroupId"}, n, nil) // a split build adopts nothing
			t.outputs.set(n.group[g]+"Id", groupOutput(g, n))
		}
		groupTemplates[i] = t
	})
	for i, groups := range groupBuckets {
		for j, g := range groups {
			stackOf[g] = ids[i][j]
		}
		if groupTemplates[i] != nil {
			out = append(out, groupTemplates[i])
		}
	}
	// A rule stack fits when it has at most rulesPerStack resources and its
	// JSON rendering (never smaller than the YAML) is within the size
	// limit; the size is measured only when the resources are near the
	// limit that names and descriptions of AWS's maximum lengths reach.
	//
	// A stack's JSON is its skeleton (version, description, parameters)
	// and each resource's lines, indented as in the stack: the sum of a
	// bound on the skeleton (every parameter a rule stack can take) and a
	// bound on each rule's rendering, from the lengths of its texts,
	// bounds the stack's size.
	// Only a stack that bound does not clear is rendered, which is what
	// deciding by rendering each trial stack cost (half of a big build):
	// the decisions are the same, so is the output.
	//
	// Rules are bucketed by their indexes in p.Rules, by which their
	// logical IDs are kept (names.rule): a map from the rule cost a
	// cache miss at each of a rule's three lookups.
	var skeleton int
	ruleSize := func(i int) int { return ruleSizeBound(p.Rules[i], n.rule[i], n, opts) }
	fits := func(count, sizes int, rules func() []int) bool {
		if count > rulesPerStack {
			return false
		}
		if count < MaxBytes/(4*1024) {
			return true
		}
		if skeleton == 0 {
			// The description each stack gets when it is written.
			skeleton = len(renderJSON(ruleStackSkeleton(p, n, stackOf).root)) + len(jsonQuote(description(p, "Security group rules, part 999 of 999")))
		}
		return skeleton+sizes <= MaxBytes || len(renderJSON(ruleStack(p, n, rules(), stackOf, 1, opts).root)) <= MaxBytes
	}
	all := make([]int, len(p.Rules))
	for i := range all {
		all[i] = i
	}
	ruleBuckets := bucket(all, func(i int) uint64 { return ruleHash(p.Rules[i]) },
		(len(p.Rules)+rulesPerStack-1)/rulesPerStack, ruleSize, fits)
	var (
		chunks  [][]int
		indexes []int
	)
	for i, rules := range ruleBuckets {
		if len(rules) > 0 {
			chunks, indexes = append(chunks, rules), append(indexes, i+1)
		}
	}
	rules, data := ruleStacks(p, n, chunks, indexes, len(ruleBuckets), stackOf, opts, render)
	return append(out, rules...), append(renderAll(out, render), data...)
}

// renderAll renders templates side by side.
func renderAll(templates []*template, render func(*template) []byte) [][]byte {
	data := make([][]byte, len(templates))
	parallel.Each(len(templates), func(i int) { data[i] = render(templates[i]) })
	return data
}

// warmed keeps warm's sums, so that its loads are not optimized away.
var warmed atomic.Int64

// warm reads, rule by rule, what writing a rule stack will read of its
// rules, their flows and their logical IDs, and returns a sum of it. A
// stack's rules are a random sample of the policy's (jump hashing), so
// each purpose and each flow is a cache miss; writing stalls on them one
// at a time, while this loop's loads are independent of each other and
// the processor overlaps them. The stack's few hundred rules then fit in
// the core's cache.
func warm(p *model.Program, rules []int, n names) int64 {
	var sum int
	for _, i := range rules {
		r := p.Rules[i]
		f := r.Flow
		sum += len(f.Purpose) + f.Range.Start.Line + len(r.Group.Name)
		if id := n.rule[i]; len(id) > 0 { // the resource's key
			sum += int(id[0])
		}
		if len(f.Purpose) > 0 {
			sum += int(f.Purpose[0])
		}
		if name := f.Range.Start.Filename; len(name) > 0 {
			sum += int(name[len(name)-1])
		}
	}
	return int64(sum)
}

// ruleStacks builds and renders a rule stack per chunk of rules (their
// indexes in p.Rules), numbered by indexes. The stacks are independent, so
// they are made side by side; each lands in its own slot, so the result
// does not depend on the order they finish in.
func ruleStacks(p *model.Program, n names, chunks [][]int, indexes []int, of int, stackOf groupStacks, opts emit.Options, render func(*template) []byte) ([]*template, [][]byte) {
	rules := make([]*template, len(chunks))
	data := make([][]byte, len(chunks))
	parallel.Each(len(chunks), func(i int) {
		warmed.Add(warm(p, chunks[i], n))
		t := ruleStack(p, n, chunks[i], stackOf, indexes[i], opts)
		t.root.set("Description", description(p, fmt.Sprintf("Security group rules, part %d of %d", indexes[i], of)))
		rules[i], data[i] = t, render(t)
	})
	return rules, data
}

// groupStacks says for each group which group stack holds it.
type groupStacks map[*model.Group]groupStack

type groupStack struct {
	index int    // of the groups-N stack
	id    any    // the group's id, imported from that stack
	line  string // id's importLine
}

// ruleStack builds the rule stack of rules, their indexes in p.Rules.
func ruleStack(p *model.Program, n names, rules []int, stackOf groupStacks, index int, opts emit.Options) *template {
	ruleStacksBuilt.Add(1)
	t := newTemplate(fmt.Sprintf("rules-%d", index), "")
	t.resources.keys, t.resources.vals = make([]string, 0, len(rules)), make([]any, 0, len(rules))
	used := map[int]bool{}
	inputs := map[*model.External]bool{}
	// A group is looked up once for its stack, its id and the id's line.
	group := func(g *model.Group) groupStack {
		gs := stackOf[g]
		used[gs.index] = true
		return gs
	}
	groupID := func(g *model.Group) any { return group(g).id }
	inputID := func(e *model.External) any {
		inputs[e] = true
		return ref{n.input[e]}
	}
	lists := map[*model.PrefixList]bool{}
	listID := func(l *model.PrefixList) any {
		lists[l] = true
		return ref{n.list[l]}
	}
	for _, i := range rules {
		r := p.Rules[i]
		gs := group(r.Group)
		res := ruleRes{r: r, group: gs.id, groupLine: gs.line, sourceLines: opts.SourceLines}
		if r.Peer.Kind == model.PeerGroup {
			ps := group(r.Peer.Group)
			res.peer, res.peerLine = ps.id, ps.line
		} else {
			res.peer = peerValue(r, groupID, inputID, listID)
		}
		t.resources.add(n.rule[i], res)
	}
	var stacks []int
	for s := range used {
		stacks = append(stacks, s)
	}
	sort.Ints(stacks)
	for _, s := range stacks {
		t.params.set(groupsStackParam(s), obj().set("Type", "String").
			set("Default", DefaultStackName(fmt.Sprintf("groups-%d", s))).
			set("Description", fmt.Sprintf("Name of the stack deployed from groups-%d, whose group ids this stack imports.", s)))
	}
	for _, e := range p.Externals {
		if inputs[e] {
			t.params.set(n.input[e], inputParam(e))
		}
	}
	for _, l := range p.PrefixLists {
		if lists[l] {
			t.params.set(n.list[l], listParam(l))
		}
	}
	return t
}

// ruleSizeBound is at least the bytes rule r, of logical ID id, adds to a
// rule stack's JSON
// (its resource at the stack's indentation, key and separator):
// structure and fixed texts within a generous constant, and each text of
// variable length at the most its rendering can take (a purpose with
// "${" becomes an Fn::Join of parts; a file name may need escapes).
// TestRuleSizeBound holds it to the rendering over random policies.
func ruleSizeBound(r *model.Rule, id string, n names, opts emit.Options) int {
	size := 900 + 2*len(id)
	size += 2 * (len(n.export[r.Group]) + 64)
	switch r.Peer.Kind {
	case model.PeerGroup:
		size += len(n.export[r.Peer.Group]) + 64
	case model.PeerExternal:
		size += len(n.input[r.Peer.External]) + 64
	case model.PeerPrefixList:
		size += len(n.list[r.Peer.PrefixList]) + 64
	default:
		size += 64
	}
	size += 3*len(r.Flow.Purpose) + 80
	size += 6*emit.SourceLen(r.Flow, opts.SourceLines) + 16
	return size
}

// ruleStacksBuilt counts the rule stacks built, for the test that holds
// a split build to building each stack once (TestSplitBuildsEachStackOnce).
var ruleStacksBuilt atomic.Int64

// ruleStackSkeleton is a rule stack without resources but with every
// parameter a rule stack can have (each group stack's name, each input):
// no rule stack's skeleton is larger.
func ruleStackSkeleton(p *model.Program, n names, stackOf groupStacks) *template {
	t := newTemplate("rules-1", "")
	seen := map[int]bool{}
	var stacks []int
	for _, gs := range stackOf {
		if !seen[gs.index] {
			seen[gs.index] = true
			stacks = append(stacks, gs.index)
		}
	}
	sort.Ints(stacks)
	for _, s := range stacks {
		t.params.set(groupsStackParam(s), obj().set("Type", "String").
			set("Default", DefaultStackName(fmt.Sprintf("groups-%d", s))).
			set("Description", fmt.Sprintf("Name of the stack deployed from groups-%d, whose group ids this stack imports.", s)))
	}
	for _, e := range p.Inputs() {
		t.params.set(n.input[e], inputParam(e))
	}
	for _, l := range p.PrefixLists {
		if l.Managed != "" {
			t.params.set(n.list[l], listParam(l))
		}
	}
	return t
}

// deployReadme says in which order to deploy the split stacks.
func deployReadme(p *model.Program, templates []*template, ext string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- %s -->\n\n", emit.Header(p))
	b.WriteString("# Deploying the split CloudFormation stacks\n\n")
	b.WriteString("The policy's groups and rules are spread over several stacks, each within\n")
	b.WriteString("CloudFormation's limits. Group stacks export their group ids; rule stacks import them, so the\n")
	b.WriteString("group stacks must be deployed first and deleted last.\n\n")
	b.WriteString("Templates over 51,200 bytes must be uploaded to S3: pass `--s3-bucket BUCKET`.\n\n")
	b.WriteString("1. Deploy the group stacks (in any order, or in parallel):\n\n```sh\n")
	var inputs []string
	for _, e := range p.Inputs() {
		inputs = append(inputs, e.Name)
	}
	for _, t := range templates {
		if strings.HasPrefix(t.name, "groups-") {
			fmt.Fprintf(&b, "aws cloudformation deploy --stack-name %s --template-file %s.%s --parameter-overrides VpcId=vpc-XXXXXXXX\n",
				DefaultStackName(t.name), t.name, ext)
		}
	}
	b.WriteString("```\n\n2. Then deploy the rule stacks (in any order, or in parallel):\n\n```sh\n")
	for _, t := range templates {
		if !strings.HasPrefix(t.name, "rules-") {
			continue
		}
		var overrides []string
		for _, k := range t.params.keys {
			if strings.HasPrefix(k, "GroupsStack") {
				overrides = append(overrides, k+"="+t.params.get(k).(*object).get("Default").(string))
			} else {
				overrides = append(overrides, k+"=sg-XXXXXXXX")
			}
		}
		fmt.Fprintf(&b, "aws cloudformation deploy --stack-name %s --template-file %s.%s", DefaultStackName(t.name), t.name, ext)
		if len(overrides) > 0 {
			fmt.Fprintf(&b, " --parameter-overrides %s", strings.Join(overrides, " "))
		}
		b.WriteString("\n")
	}
	b.WriteString("```\n\nA group or rule goes into the stack its identity hashes to, never by its place\n" +
		"in the policy: adding, removing or changing a flow touches only the stacks of its own\n" +
		"rules, so on every later change the same two steps (group stacks, then rule stacks)\n" +
		"never leave a rule missing. A group is never replaced: when its description changes,\n" +
		"it keeps the AWS description it has (AWS can change it only by replacing the group,\n" +
		"which would change the id rule stacks import) and carries the new one in its\n" +
		"`Description` tag, as long as the build writes into the directory of the previous one\n" +
		"(or is given the deployed group stacks' templates with `--earlier`).\n" +
		"Three cases take care, and `sgc diff --split` names each:\n\n" +
		"- When the policy outgrows its stacks, one more is added and some rules move into it.\n" +
		"  AWS refuses a rule that exists twice, so update the stacks that lose rules before the\n" +
		"  new one: the moved rules are absent between the two updates.\n" +
		"- A change that removes a group: CloudFormation refuses to remove its exported id while\n" +
		"  a rule stack imports it, so deploy the rule stacks first, then the group stacks.\n" +
		"- A change that removes a group and adds another (a rename): make it two changes. Add\n" +
		"  the new group and move the flows and instances to it, then remove the old one.\n\n" +
		"To remove everything, delete the rule stacks first, then the group stacks.\n")
	if len(inputs) > 0 {
		fmt.Fprintf(&b, "\nThe rule stacks that reference %s take their ids as parameters (`sg-XXXXXXXX` above).\n", strings.Join(inputs, ", "))
	}
	return []byte(b.String())
}
