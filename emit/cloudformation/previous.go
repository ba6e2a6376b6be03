package cloudformation

import (
	"fmt"
	"maps"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/awsform"
	"github.com/sgc-dev/sgc/internal/parallel"
)

// earlier reads what the templates an earlier build wrote gave AWS: the
// GroupDescription of every group, by its Name tag (the role name), and
// the logical ID of every group (by role) and of every rule that names
// its group by !GetAtt (by ruleKey: a rule stack's imports name none),
// which a build of one template keeps where its own naming would differ
// (keepAddresses). Templates are YAML or JSON, which YAML reads too. Only
// what AWS and CloudFormation accept is taken: a file edited by hand
// cannot make the build write what the compiler refuses.
func earlier(previous []emit.File) emit.Earlier {
	// Each file is read on its own (a group's rules name it by its logical
	// ID in the same template), so the files are parsed side by side and
	// their findings merged in the files' order, as one pass would.
	each := make([]emit.Earlier, len(previous))
	parallel.Each(len(previous), func(i int) { each[i] = earlierIn(previous[i]) })
	out := emit.Earlier{Descriptions: map[string]string{}, Addresses: map[string]string{}}
	for _, e := range each {
		maps.Copy(out.Descriptions, e.Descriptions)
		maps.Copy(out.Addresses, e.Addresses)
	}
	return out
}

// earlierIn is what one template of an earlier build gave AWS.
func earlierIn(f emit.File) emit.Earlier {
	out := emit.Earlier{Descriptions: map[string]string{}, Addresses: map[string]string{}}
	doc, ok := fastYAML(f.Data) // sgc's own templates, without yaml.v3's cost
	if !ok {
		doc = new(yaml.Node)
		if yaml.Unmarshal(f.Data, doc) != nil || len(doc.Content) == 0 {
			return out
		}
	}
	resources := field(doc.Content[0], "Resources")
	roles := map[string]string{} // logical ID -> role, of the groups
	for i, res := range mappingValues(resources) {
		if typeOf(res) != "AWS::EC2::SecurityGroup" {
			continue
		}
		props := field(res, "Properties")
		role := ""
		for _, tag := range seq(field(props, "Tags")) {
			if k := field(tag, "Key"); k != nil && k.Value == "Name" {
				role, _ = text(field(tag, "Value"))
			}
		}
		if role == "" {
			continue
		}
		roles[resources.Content[2*i].Value] = role
		if desc, ok := text(field(props, "GroupDescription")); ok && validDescription(desc) {
			out.Descriptions[role] = desc
		}
	}
	for i, res := range mappingValues(resources) {
		id := resources.Content[2*i].Value
		if !logicalID(id) {
			continue
		}
		if typeOf(res) == "AWS::EC2::SecurityGroup" {
			if role, ok := roles[id]; ok {
				out.Addresses["group|"+role] = id
			}
			continue
		}
		if k, ok := ruleKeyOf(res, roles); ok {
			out.Addresses[k] = id
		}
	}
	return out
}

// earlierReads reports whether earlier reads the file name: groups are in
// the one template or the group stacks; rule stacks, the IMPORT template
// (adopted groups keep their own) and everything else are passed over.
func earlierReads(name string, _ bool) bool {
	return (strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".json")) &&
		(strings.HasPrefix(name, "template.") || strings.HasPrefix(name, "groups-"))
}

// logicalID reports whether id has the form of a logical ID
// CloudFormation takes: ^[A-Za-z0-9]{1,255}$.
func logicalID(id string) bool {
	if len(id) == 0 || len(id) > 255 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !isAlnum(id[i]) {
			return false
		}
	}
	return true
}

func typeOf(res *yaml.Node) string {
	if t := field(res, "Type"); t != nil && t.Kind == yaml.ScalarNode {
		return t.Value
	}
	return ""
}

// ruleKey is what AWS identifies the rule r by, in the terms its resource
// is written in (ruleResource): type, group, protocol, ports and peer. A
// reference to a group is its role name; to an input, the parameter.
func ruleKey(r *model.Rule, n names) string {
	kind, peerGroup, peerPL := ruleTerms(r.Direction)
	ports := ""
	if r.Port.HasPorts() {
		ports = fmt.Sprintf("%d:%d", r.Port.From, r.Port.To)
	}
	peer := ""
	switch p := r.Peer; p.Kind {
	case model.PeerCIDR:
		if p.CIDR.Addr().Is4() {
			peer = "CidrIp=" + p.CIDR.String()
		} else {
			peer = "CidrIpv6=" + p.CIDR.String()
		}
	case model.PeerPrefixList:
		peer = peerPL + "=" + p.PrefixList.ID
	case model.PeerGroup:
		peer = peerGroup + "=group:" + p.Group.Name
	case model.PeerExternal:
		if p.External.ID != "" {
			peer = peerGroup + "=" + p.External.ID
		} else {
			peer = peerGroup + "=param:" + n.input[p.External]
		}
	}
	return strings.Join([]string{"rule", kind, r.Group.Name, string(r.Port.Protocol), ports, peer}, "|")
}

// ruleKeyOf is ruleKey of a rule resource read from a template, whose
// groups' roles by logical ID are roles.
func ruleKeyOf(res *yaml.Node, roles map[string]string) (string, bool) {
	kind := typeOf(res)
	if kind != "AWS::EC2::SecurityGroupIngress" && kind != "AWS::EC2::SecurityGroupEgress" {
		return "", false
	}
	props := field(res, "Properties")
	group, ok := groupRef(field(props, "GroupId"), roles)
	proto, okProto := text(field(props, "IpProtocol"))
	if !ok || !okProto || !strings.HasPrefix(group, "group:") {
		return "", false
	}
	ports := ""
	from, to := field(props, "FromPort"), field(props, "ToPort")
	if from != nil || to != nil {
		if from == nil || to == nil || from.Kind != yaml.ScalarNode || to.Kind != yaml.ScalarNode {
			return "", false
		}
		ports = from.Value + ":" + to.Value
	}
	var peers []string
	for _, k := range []string{"CidrIp", "CidrIpv6", "SourcePrefixListId", "DestinationPrefixListId"} {
		if v, ok := text(field(props, k)); ok {
			peers = append(peers, k+"="+v)
		}
	}
	for _, k := range []string{"SourceSecurityGroupId", "DestinationSecurityGroupId"} {
		if v := field(props, k); v != nil {
			ref, ok := groupRef(v, roles)
			if !ok {
				return "", false
			}
			peers = append(peers, k+"="+ref)
		}
	}
	if len(peers) != 1 {
		return "", false
	}
	return strings.Join([]string{"rule", kind, strings.TrimPrefix(group, "group:"), proto, ports, peers[0]}, "|"), true
}

// groupRef reads a group id as ruleResource writes it: !GetAtt of a group
// ("group:ROLE"), !Ref of a parameter ("param:NAME") or an sg- id.
func groupRef(n *yaml.Node, roles map[string]string) (string, bool) {
	switch {
	case n == nil:
		return "", false
	case n.Kind == yaml.ScalarNode && n.Tag == "!GetAtt":
		id, attr, _ := strings.Cut(n.Value, ".")
		role, ok := roles[id]
		return "group:" + role, ok && attr == "GroupId"
	case n.Kind == yaml.ScalarNode && n.Tag == "!Ref":
		return "param:" + n.Value, true
	case n.Kind == yaml.ScalarNode:
		v, ok := text(n)
		return v, ok && awsform.GroupID.MatchString(v)
	}
	if att := seq(field(n, "Fn::GetAtt")); len(att) == 2 && len(n.Content) == 2 {
		role, ok := roles[att[0].Value]
		return "group:" + role, ok && att[1].Value == "GroupId"
	}
	if r := field(n, "Ref"); r != nil && r.Kind == yaml.ScalarNode && len(n.Content) == 2 {
		return "param:" + r.Value, true
	}
	return "", false
}

// keepAddresses gives each group and rule of the one template the logical
// ID the earlier build gave it, where that differs from its own name and
// is not taken: CloudFormation has no moved blocks, and a rule whose ID
// changes would be created before its old self is deleted, which AWS
// refuses (InvalidPermission.Duplicate).
func (n names) keepAddresses(p *model.Program, addrs map[string]string) {
	if len(addrs) == 0 {
		return
	}
	taken := make(map[string]bool, 1+len(n.group)+len(n.input)+len(n.rule))
	taken["VpcId"] = true
	for _, id := range n.group {
		taken[id] = true
	}
	for _, id := range n.input {
		taken[id] = true
	}
	for _, id := range n.rule {
		taken[id] = true
	}
	keep := func(key, current string) string {
		id, ok := addrs[key]
		if !ok || id == current || taken[id] || !logicalID(id) || strings.HasPrefix(id, "Never") {
			return current
		}
		taken[id] = true
		return id
	}
	for _, g := range p.Groups {
		n.group[g] = keep("group|"+g.Name, n.group[g])
	}
	for i, r := range p.Rules {
		n.rule[i] = keep(ruleKey(r, n), n.rule[i])
	}
}

// validDescription reports whether AWS takes s as a group's description
// and the compiler would let it through.
func validDescription(s string) bool {
	if s == "" || len(s) > awsform.MaxDescription || !utf8.ValidString(s) || awsform.FindDynamicReference(s) >= 0 {
		return false
	}
	for _, r := range s {
		if !awsform.DescriptionChar(r) {
			return false
		}
	}
	return true
}

// keptDescription returns the AWS description group g keeps instead of
// the policy's, if any: the one the previous build gave it, when the
// policy's differs. An adopted group keeps the live one (adoptGroup).
func keptDescription(g *model.Group, opts emit.Options) (string, bool) {
	d, ok := emit.EarlierDescription(g, opts.Earlier)
	if !ok || d == g.Description || !validDescription(d) {
		return "", false
	}
	if a := opts.Adopt.Group(g.Name); a != nil && a.Description != "" {
		return "", false
	}
	return d, true
}

// field returns the value of key in the mapping n, or nil.
func field(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func mappingValues(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content)/2)
	for i := 1; i < len(n.Content); i += 2 {
		out = append(out, n.Content[i])
	}
	return out
}

func seq(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// text reads a string property as literal wrote it: a plain string, or an
// Fn::Join of strings with an empty delimiter.
func text(n *yaml.Node) (string, bool) {
	switch {
	case n == nil:
		return "", false
	case n.Kind == yaml.ScalarNode && n.Tag == "!!str":
		return n.Value, true
	case n.Kind == yaml.ScalarNode:
		return "", false // a number, a boolean, or a short-form function
	}
	join := seq(field(n, "Fn::Join"))
	if len(n.Content) != 2 || len(join) != 2 || join[0].Value != "" || join[0].Kind != yaml.ScalarNode {
		return "", false
	}
	var b strings.Builder
	for _, part := range seq(join[1]) {
		s, ok := text(part)
		if !ok || part.Kind != yaml.ScalarNode {
			return "", false
		}
		b.WriteString(s)
	}
	return b.String(), true
}
