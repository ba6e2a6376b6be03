package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/sgc-dev/sgc/compiler/model"
)

// EnvironmentFile holds, in a module built for one environment of a
// policy, the checks that it is applied where that environment lives.
const EnvironmentFile = "environment.tf"

// environment writes the checks of the account and Region the program's
// environment names, or nil when it names neither. Provider 5.x has no
// per-resource Region and a module cannot choose its provider, so the
// root module gives each environment's module an aliased provider; a
// data source's postcondition stops the plan when that provider is the
// wrong one, before anything is changed (staging's groups are never
// created in production's account).
func environment(header string, p *model.Program) []byte {
	env := p.Environment
	if env == nil || env.Account == "" && env.Region == "" {
		return nil
	}
	bs := newBlocks(header, 1024)
	check := func(typ, attr, want, what string) {
		bs.add("data", []string{typ, "environment"}, func(b *hclwrite.Body) {
			post := b.AppendNewBlock("lifecycle", nil).Body().AppendNewBlock("postcondition", nil).Body()
			cond := hclwrite.TokensForTraversal(traversal("self", attr))
			cond = append(cond, &hclwrite.Token{Type: hclsyntax.TokenEqualOp, Bytes: []byte("==")})
			post.SetAttributeRaw("condition", append(cond, hclwrite.TokensForValue(cty.StringVal(want))...))
			post.SetAttributeValue("error_message", cty.StringVal(fmt.Sprintf(
				"This module is the environment %s of the policy: apply it with a provider of %s %s (the root module passes it: providers = { aws = aws.%s }).",
				env.Name, what, want, env.Name)))
		})
	}
	if env.Account != "" {
		check("aws_caller_identity", "account_id", env.Account, "account")
	}
	if env.Region != "" {
		check("aws_region", "name", env.Region, "Region")
	}
	return bs.bytes()
}
