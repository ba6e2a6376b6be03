package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sgc-dev/sgc/account/cfnstack"
	"github.com/sgc-dev/sgc/account/drift"
	"github.com/sgc-dev/sgc/account/importer"
	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/account/tfstate"
	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit/targets"
	"github.com/sgc-dev/sgc/internal/awsform"
	"github.com/sgc-dev/sgc/internal/fsutil"
	"github.com/sgc-dev/sgc/internal/limits"
	"github.com/sgc-dev/sgc/internal/outdir"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/load"
)

// awsFlags are the flags of the commands that read the account itself.
type awsFlags struct {
	use                  bool
	region, profile      string
	timeout, callTimeout time.Duration
	// env is the environment whose account and Region the calls must be
	// made in, for a policy with environments (setEnv).
	env *model.Environment
}

// setEnv makes every call in env's account and Region: the Region is the
// environment's unless --region says it (then they must agree), and the
// credentials are checked to be of its account before anything is read.
func (a *awsFlags) setEnv(env *model.Environment) error {
	if env == nil {
		return nil
	}
	if a.region != "" && env.Region != "" && a.region != env.Region {
		return usageErrorf("--region %s: the environment %s is in %s", a.region, env.Name, env.Region)
	}
	a.env = env
	return nil
}

func (a *awsFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&a.use, "aws", false, "read the account through the AWS API (standard credential chain; AWS_ENDPOINT_URL_EC2 for an emulator)")
	cmd.Flags().StringVar(&a.region, "region", "", "with --aws: the region (default: AWS_REGION or the profile's)")
	cmd.Flags().StringVar(&a.profile, "profile", "", "with --aws: the shared-config profile (default: AWS_PROFILE)")
	cmd.Flags().DurationVar(&a.timeout, "timeout", live.DefaultTimeout, "with --aws: give up reading the account after this long")
	cmd.Flags().DurationVar(&a.callTimeout, "call-timeout", live.DefaultCallTimeout, "with --aws: give up on one API call (then retried) after this long")
}

// options are the flags' AWS options, limited to vpc when one is given.
func (a *awsFlags) options(vpc string) live.AWSOptions {
	opts := live.AWSOptions{Region: a.region, Profile: a.profile, VPC: vpc, Timeout: a.timeout, CallTimeout: a.callTimeout}
	if env := a.env; env != nil {
		opts.Account = env.Account
		if opts.Region == "" {
			opts.Region = env.Region
		}
	}
	return opts
}

// fetch reads the account, limited to vpc when one is given.
func (a *awsFlags) fetch(cmd *cobra.Command, vpc string, p *model.Program) (*live.Export, error) {
	if a.timeout <= 0 || a.callTimeout <= 0 {
		return nil, usageErrorf("--timeout and --call-timeout must be positive durations, such as 10m or 30s")
	}
	opts := a.options(vpc)
	opts.PrefixLists = p != nil && p.NamesManagedPrefixLists()
	opts.Associations = p != nil && p.ServesOtherVPCs()
	ex, err := live.FetchAWS(cmd.Context(), opts)
	if err != nil {
		return nil, &exitError{Code: ExitUsage, Err: err}
	}
	return ex, nil
}

// policyAndLive loads a policy that must compile (of the environment
// chosen) and the live groups, matched to it as drift matches them: the
// start of the commands that read evidence about the policy's groups
// (activity, usage).
func policyAndLive(cmd *cobra.Command, e *env, args []string, now nowFlag, ef envFlag, aws *awsFlags, liveFile, vpc string) (*load.Policy, drift.Report, error) {
	p, err := loadCompiled(e, args, now, ef)
	if err != nil {
		return nil, drift.Report{}, err
	}
	if err := aws.setEnv(p.Program.Environment); err != nil {
		return nil, drift.Report{}, err
	}
	ex, err := readLive(cmd, e, aws, liveFile, vpc, p.Program)
	if err != nil {
		return nil, drift.Report{}, err
	}
	rep, err := drift.Compare(p.Program, ex)
	if err != nil {
		return nil, drift.Report{}, &exitError{Code: ExitUsage, Err: err}
	}
	return p, rep, nil
}

// readLive reads the live groups drift and activity compare with: from
// the account (with the Region's AWS-managed lists when the policy names
// one, and the groups' VPC associations when it says also-in), or from an
// export, narrowed to vpc when one is given.
func readLive(cmd *cobra.Command, e *env, aws *awsFlags, liveFile, vpc string, p *model.Program) (*live.Export, error) {
	if aws.use {
		return aws.fetch(cmd, vpc, p)
	}
	ex, err := readGroups(e, liveFile)
	if err == nil && vpc != "" {
		ex = ex.InVPC(vpc)
	}
	return ex, err
}

// readExport reads an export from a file, or from standard input for "-".
func readExport(e *env, name string) (*live.Export, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = fsutil.ReadLimited(e.stdin, "standard input", limits.Export)
	} else {
		data, err = fsutil.ReadRegular(name, limits.Export)
	}
	if err != nil {
		return nil, &exitError{Code: ExitUsage, Err: err}
	}
	ex, err := live.Parse(data)
	if err != nil {
		return nil, &exitError{Code: ExitUsage, Err: fmt.Errorf("%s: %v", name, err)}
	}
	return ex, nil
}

// readGroups reads an export that must hold groups: the main input of
// import and drift.
func readGroups(e *env, name string) (*live.Export, error) {
	ex, err := readExport(e, name)
	if err == nil && ex.SecurityGroups == nil {
		err = &exitError{Code: ExitUsage, Err: fmt.Errorf("%s holds rules only (describe-security-group-rules): give the groups (aws ec2 describe-security-groups), and the rules with --rules", name)}
	}
	return ex, err
}

const importDoc = `Import drafts intent from existing security groups: the JSON of
'aws ec2 describe-security-groups' (FILE, or - for standard input). It writes
one draft per VPC, formatted, that compiles:

  - groups keep their names when valid (renamed with a note otherwise) and
    their descriptions; the VPC's default group is skipped with a warning;
  - an egress half on A to B and the ingress half on B from A become one
    flow A -> B; a half without its partner becomes a flow too, with a
    comment saying only one half existed;
  - address blocks become networks, one per distinct address set, named from
    the rule descriptions where possible; prefix lists become prefix-list;
    groups not in the file become external (an input when the id is not
    well-formed);
  - rule descriptions become purposes; rules without one get a purpose the
    linter reports, so a person must justify them before the policy checks
    clean; AWS's default allow-all egress becomes an explicit flow.

Fields of the export are checked against their AWS forms first: a group
whose VpcId or GroupId is malformed is skipped, and a rule the language
cannot state exactly (ports out of range, a peer that is not an address
block, prefix list or group id) is left out with a warning, never widened.

With --from-terraform STATE.json (terraform show -json of the configuration
that manages the groups today, or of a plan of it) only the groups that state
manages are drafted, and removed.tf.example is written beside the drafts:
removed blocks that make that configuration forget every old address without
destroying anything, for its root module, beside the imports.tf.example that
sgc build writes. What the state and the account disagree on (a rule gone
from AWS, one opened by hand) and what must change in modules is said first.
With --from-cloudformation TEMPLATE --stack-resources FILE (get-template and
describe-stack-resources of the stack that manages the groups today) only the
stack's groups are drafted, and two templates are written for the stack:
STACK.retain.yaml (Retain on every security group resource, nothing else
changed) and STACK.release.yaml (without them; references written as their
ids); sgc build -t cloudformation then writes the new stack's IMPORT.
See docs/migrate.md.

Without -o a single draft is printed; with -o DIR each VPC's draft is written
to DIR/<vpc-id>.intent. A draft carries a hash of its content: import
replaces a draft nobody has edited, refuses one that was edited (unless
--force), and never overwrites a file it did not draft.`

func newImportCmd(e *env) *cobra.Command {
	var (
		dir, vpc, rulesFile string
		fromTerraform       string
		fromCloudFormation  string
		stackResources      string
		force               bool
		aws                 awsFlags
		envName, envPolicy  string
	)
	cmd := &cobra.Command{
		Use:     "import FILE.json|-|--aws [-o DIR] [--vpc ID] [--from-terraform STATE.json | --from-cloudformation TEMPLATE --stack-resources FILE] [--force]",
		Short:   "Draft intent from existing security groups",
		Long:    importDoc,
		Example: "  aws ec2 describe-security-groups > groups.json\n  sgc import groups.json -o policy/\n  aws ec2 describe-security-groups | sgc import - --vpc vpc-0abc12345\n  sgc import --aws --region eu-west-1 --vpc vpc-0abc12345 -o policy/\n  terraform show -json > state.json && sgc import --aws --from-terraform state.json -o policy/",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var (
				ex  *live.Export
				err error
			)
			if envName != "" {
				// The environment's account and Region, from the policy
				// that declares it: its credentials are checked first.
				if !aws.use {
					return usageErrorf("--env reads the environment's account: give --aws")
				}
				p, err := loadPolicy([]string{envPolicy}, compiler.Today())
				if err != nil {
					return err
				}
				if p, err = (envFlag{name: envName}).pick(p, false); err != nil {
					return err
				}
				if err := aws.setEnv(p.Program.Environment); err != nil {
					return err
				}
			}
			switch {
			case aws.use && len(args) == 0:
				ex, err = aws.fetch(cmd, vpc, nil)
			case !aws.use && len(args) == 1:
				ex, err = readGroups(e, args[0])
			default:
				return usageErrorf("give an export FILE.json (or - for standard input), or --aws to read the account")
			}
			if err != nil {
				return err
			}
			if rulesFile != "" {
				rules, err := readExport(e, rulesFile)
				if err != nil {
					return err
				}
				ex.SecurityGroupRules = append(ex.SecurityGroupRules, rules.SecurityGroupRules...)
			}
			opts := importer.Options{VPC: vpc}
			var state *tfstate.State
			var stack *cfnstack.Stack
			if fromTerraform != "" && fromCloudFormation != "" {
				return usageErrorf("--from-terraform and --from-cloudformation take over from one configuration at a time")
			}
			if (fromCloudFormation == "") != (stackResources == "") {
				return usageErrorf("--from-cloudformation TEMPLATE needs --stack-resources FILE (aws cloudformation describe-stack-resources --stack-name NAME), and the other way round")
			}
			if fromCloudFormation != "" {
				if dir == "" {
					return usageErrorf("--from-cloudformation writes the stack's templates beside the drafts: give -o DIR")
				}
				tpl, err := fsutil.ReadRegular(fromCloudFormation, limits.Template)
				if err != nil {
					return &exitError{Code: ExitUsage, Err: err}
				}
				res, err := fsutil.ReadRegular(stackResources, limits.Export)
				if err != nil {
					return &exitError{Code: ExitUsage, Err: err}
				}
				if stack, err = cfnstack.Parse(tpl, res); err != nil {
					return &exitError{Code: ExitUsage, Err: fmt.Errorf("%s: %v", fromCloudFormation, err)}
				}
				opts.Only = map[string]bool{}
				for _, id := range stack.GroupIDs() {
					opts.Only[id] = true
				}
			}
			if fromTerraform != "" {
				if dir == "" {
					return usageErrorf("--from-terraform writes removed blocks beside the drafts: give -o DIR")
				}
				data, err := fsutil.ReadRegular(fromTerraform, limits.TerraformState)
				if err != nil {
					return &exitError{Code: ExitUsage, Err: err}
				}
				if state, err = tfstate.Parse(data); err != nil {
					return &exitError{Code: ExitUsage, Err: fmt.Errorf("%s: %v", fromTerraform, err)}
				}
				opts.Only = map[string]bool{}
				for _, id := range state.Groups() {
					opts.Only[id] = true
				}
			}
			drafts, err := importer.Import(ex, opts)
			if err != nil {
				return &exitError{Code: ExitUsage, Err: err}
			}
			for _, d := range drafts {
				for _, w := range d.Warnings {
					fmt.Fprintf(e.stderr, "warning: %s\n", diag.OneLine(w))
				}
			}
			var migration *importer.Migration
			if state != nil {
				migration = importer.Migrate(state, ex, drafts)
			}
			if stack != nil {
				if migration, err = importer.MigrateCloudFormation(stack, ex, drafts); err != nil {
					return &exitError{Code: ExitUsage, Err: fmt.Errorf("%s: %v", fromCloudFormation, err)}
				}
			}
			if migration != nil {
				for _, w := range migration.Warnings {
					fmt.Fprintf(e.stderr, "migrate: %s\n", diag.OneLine(w))
				}
			}
			if dir == "" {
				if len(drafts) > 1 {
					var vpcs []string
					for _, d := range drafts {
						vpcs = append(vpcs, d.VPC)
					}
					return usageErrorf("the export holds %d VPCs (%v): choose one with --vpc, or write all with -o DIR", len(drafts), diag.OneLine(fmt.Sprint(vpcs)))
				}
				_, err := e.stdout.Write(drafts[0].Source)
				return err
			}
			written, err := importer.Write(dir, drafts, migration, force)
			for _, w := range written {
				fmt.Fprintf(e.stderr, "wrote %s\n", w)
			}
			return outputError(err)
		},
	}
	cmd.Flags().StringVarP(&dir, "out", "o", "", "write one draft per VPC into this directory")
	cmd.Flags().StringVar(&vpc, "vpc", "", "import only this VPC")
	cmd.Flags().StringVar(&envName, "env", "", "with --aws: read the account and Region of this environment of the policy at --policy (its credentials are checked)")
	cmd.Flags().StringVar(&envPolicy, "policy", ".", "with --env: the policy that declares the environment")
	cmd.Flags().BoolVar(&force, "force", false, "replace drafts that were edited since sgc import wrote them")
	cmd.Flags().StringVar(&fromTerraform, "from-terraform", "", "take over the groups a Terraform configuration manages: the JSON of its state or plan (terraform show -json [planfile]); writes removed blocks for it")
	cmd.Flags().StringVar(&fromCloudFormation, "from-cloudformation", "", "take over the groups a CloudFormation stack manages: its template (aws cloudformation get-template); writes the templates that release them")
	cmd.Flags().StringVar(&stackResources, "stack-resources", "", "with --from-cloudformation: the stack's resources (aws cloudformation describe-stack-resources), for the groups' ids")
	cmd.Flags().StringVar(&rulesFile, "rules", "", "the JSON of 'aws ec2 describe-security-group-rules', for the rules' sgr- ids (--aws reads them itself)")
	aws.register(cmd)
	return cmd
}

const driftDoc = `Drift compares a policy with the security groups that exist: read from
the account with --aws (DescribeSecurityGroups and DescribeSecurityGroupRules,
read-only), or from the JSON of 'aws ec2 describe-security-groups' (--live
FILE, or - for standard input). Groups match by name (a group import had
to rename matches the live group it came from); rules by group, direction,
protocol, ports and peer.

  unmanaged          a live rule the intent does not have: someone opened it by hand
  missing            a rule of the intent that is not live
  absent-group       a declared group that does not exist
  unknown-group      a live group the policy does not declare (nor names as external)
  description        a rule whose live description differs from the purpose
  group-description  a group whose live description differs
  unverifiable       rules to an external whose id is an input: pass --var NAME=sg-...

The VPCs' default groups and the CloudFormation target's placeholder egress
are not compared. Externals declared without an id are found from --var, or
from a live group whose Name tag (or name) is theirs. The policy must
compile; lint findings do not stop drift.

Exit status: 0 without access drift, 1 with it (unmanaged, missing,
absent-group: who can reach whom changed), 2 for bad usage. --fail-on any
also fails on descriptions and unknown groups.

--revert (with --aws) puts the rules of the policy's groups back to the
intent: it revokes the rules opened by hand, fixes descriptions, and
authorizes the intent's rules that are missing, in that order, so a run
stopped half-way has only taken access away. It prints the plan and makes
the calls only with --yes; --dry-run asks AWS (EC2's DryRun) whether each
would succeed and changes nothing. It never touches a group the policy does
not declare, never creates, deletes or renames groups (the apply's work),
stops at the first call AWS refuses and says what was and was not done, and
writes every call to the audit log (--audit-log, JSON lines). A second run
finds nothing to do. Exit status: 0 when nothing is left to do (or every
call succeeded or would), 1 when calls are planned but not made, or one was
refused.`

func newDriftCmd(e *env) *cobra.Command {
	var (
		now                   nowFlag
		ef                    envFlag
		liveFile, format, vpc string
		failOn, varFile, tag  string
		paste                 string
		vars                  []string
		aws                   awsFlags
		revert                revertFlags
	)
	cmd := &cobra.Command{
		Use:   "drift [PATH...] --aws|--live FILE.json|- [--revert [--dry-run|--yes]]",
		Short: "Compare a policy with the live security groups",
		Long:  driftDoc,
		Example: "  sgc drift policy/ --aws --region eu-west-1 --vpc vpc-0abc12345\n" +
			"  sgc drift policy/ --aws --var central-logging=sg-0123456789abcdef0 --format markdown\n" +
			"  aws ec2 describe-security-groups | sgc drift policy/ --live -\n" +
			"  sgc drift policy/ --aws --vpc vpc-0abc12345 --revert            # the plan: what revert would call\n" +
			"  sgc drift policy/ --aws --vpc vpc-0abc12345 --revert --yes      # put the account back to the intent",
		RunE: func(cmd *cobra.Command, args []string) error {
			if failOn != "access" && failOn != "any" {
				return usageErrorf("--fail-on %q: want access or any", failOn)
			}
			inputs := map[string]string{}
			for _, v := range vars {
				name, id, ok := strings.Cut(v, "=")
				if !ok || !awsform.GroupID.MatchString(id) {
					return usageErrorf("--var %q: want NAME=sg-0123456789abcdef0", v)
				}
				inputs[name] = id
			}
			if aws.use == (liveFile != "") {
				return usageErrorf("give --aws to read the account, or --live FILE.json (- for standard input)")
			}
			if err := revert.check(aws.use); err != nil {
				return err
			}
			p, err := loadCompiled(e, args, now, ef)
			if err != nil {
				return err
			}
			if err := aws.setEnv(p.Program.Environment); err != nil {
				return err
			}
			ex, err := readLive(cmd, e, &aws, liveFile, vpc, p.Program)
			if err != nil {
				return err
			}
			if tag != "" {
				k, v, ok := strings.Cut(tag, "=")
				if !ok || k == "" {
					return usageErrorf("--tag %q: want KEY=VALUE", tag)
				}
				ex = ex.WithTag(k, v)
			}
			if varFile != "" {
				data, err := fsutil.ReadRegular(varFile, limits.ConfigFile)
				if err != nil {
					return &exitError{Code: ExitUsage, Err: err}
				}
				fromFile, err := targets.ReadInputs(varFile, data, p.Program)
				if err != nil {
					return &exitError{Code: ExitUsage, Err: err}
				}
				for name, id := range fromFile {
					if _, given := inputs[name]; !given {
						inputs[name] = id
					}
				}
			}
			for name := range inputs {
				if x, ok := p.Program.Lookup(name).(*model.External); !ok || x.ID != "" {
					return usageErrorf("--var %s: the policy declares no external %s without an id", name, name)
				}
			}
			rep, err := drift.CompareWith(p.Program, ex, drift.Options{Inputs: inputs})
			if err != nil {
				return &exitError{Code: ExitUsage, Err: err}
			}
			switch format {
			case "json":
				err = rep.WriteJSON(e.stdout)
			case "markdown":
				err = rep.WriteMarkdown(e.stdout)
			default:
				err = rep.WriteText(e.stdout)
			}
			if err != nil {
				return err
			}
			if paste != "" {
				if err := writePaste(e, paste, rep, p.Program); err != nil {
					return err
				}
			}
			if revert.on {
				return revert.run(cmd, e, rep, aws)
			}
			if rep.HasAccessDrift() || (failOn == "any" && len(rep.Findings) > 0) {
				return findings
			}
			return nil
		},
	}
	now.register(cmd)
	ef.register(cmd)
	cmd.Flags().StringVar(&liveFile, "live", "", "the live groups: describe-security-groups JSON, or - for standard input")
	choiceVar(cmd, &format, "format", "output format", "text", "json", "markdown")
	cmd.Flags().StringVar(&vpc, "vpc", "", "compare only the groups of this VPC")
	cmd.Flags().StringVar(&failOn, "fail-on", "access", "access (rules opened by hand or missing, groups missing) or any finding")
	cmd.Flags().StringArrayVar(&vars, "var", nil, "NAME=sg-...: the id of an external declared without one (repeatable)")
	cmd.Flags().StringVar(&varFile, "var-file", "", "the ids of externals declared without one: a tfvars file, or a CloudFormation parameters JSON file")
	cmd.Flags().StringVar(&tag, "tag", "", "KEY=VALUE: compare only live groups carrying this tag")
	cmd.Flags().StringVar(&paste, "paste", "", "write the rules opened by hand as intent to this file, to review and paste into the policy")
	aws.register(cmd)
	revert.register(cmd)
	return cmd
}

// writePaste writes the rules opened by hand as a draft, over nothing but
// an earlier unedited draft.
func writePaste(e *env, path string, rep drift.Report, p *model.Program) error {
	src, err := pasteOf(rep, p)
	if err != nil {
		return &exitError{Code: ExitUsage, Err: err}
	}
	if src == nil {
		fmt.Fprintf(e.stderr, "no rule was opened by hand; %s not written\n", path)
		return nil
	}
	if err := outdir.WriteFile(path, src, "paste", importer.DraftClaim(false)); err != nil {
		return &exitError{Code: ExitUsage, Err: err}
	}
	fmt.Fprintf(e.stderr, "wrote the rules opened by hand, as intent, to %s\n", path)
	return nil
}

// pasteOf drafts the rules opened by hand as intent to paste into policy
// p: drafted by import in p's names (its groups by role, its networks,
// prefix lists and externals), so that pasted in it compiles; rules
// without a description get a purpose the linter asks to justify. It is
// nil when no rule was opened by hand.
func pasteOf(rep drift.Report, p *model.Program) ([]byte, error) {
	hand, ids := rep.HandAdded()
	if hand == nil {
		return nil, nil
	}
	drafts, err := importer.Import(hand, importer.Options{Known: p, KnownIDs: ids})
	if err != nil {
		return nil, err
	}
	var out []byte
	for _, d := range drafts {
		out = append(out, d.Source...)
	}
	return out, nil
}
