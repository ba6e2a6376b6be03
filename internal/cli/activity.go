package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/sgc-dev/sgc/account/activity"
	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/limits"
	"github.com/sgc-dev/sgc/lang/diag"
)

const activityDoc = `Activity reads who changed the policy's security groups, from CloudTrail
log files (the JSON documents CloudTrail delivers to S3, gzip-compressed or
not; a directory is read for *.json and *.json.gz), or through CloudTrail's
LookupEvents for the last --lookup DURATION (90 days at most): every security group
call of EC2 (authorize, revoke, modify, descriptions, create, delete, tags)
on the groups the policy manages. The groups' ids come from the account
(--aws) or an export (--live), matched to the policy as drift matches them.

  outside-pipeline   a change made by a principal no --pipeline pattern matches
  opened-and-closed  a rule opened and revoked again within --window
  open-to-internet   a rule opened to 0.0.0.0/0 or ::/0
  broke-never        a rule opened that breaks a never statement, and for how long
  failed             a call AWS refused: it changed nothing

Each finding has the principal (the role behind an assumed-role session),
time, source address and, for rules, the sgr- id AWS gave. Log files are
streamed: memory grows with the security group events, not with the logs.

Exit status: 0 with nothing to report, 1 with findings, 2 for bad usage or
a file that is not a CloudTrail log.`

func newActivityCmd(e *env) *cobra.Command {
	var (
		trails        []string
		liveFile, vpc string
		format        string
		pipelines     []string
		window        time.Duration
		lookup        time.Duration
		aws           awsFlags
		now           nowFlag
		ef            envFlag
	)
	cmd := &cobra.Command{
		Use:   "activity [PATH...] --cloudtrail FILE|DIR...|--lookup DURATION --aws|--live FILE.json",
		Short: "Who changed the policy's groups, from CloudTrail",
		Long:  activityDoc,
		Example: "  aws s3 sync s3://trail-bucket/AWSLogs/111111111111/CloudTrail/eu-west-1/2026/12/01 trail/\n" +
			"  sgc activity policy/ --cloudtrail trail/ --aws --pipeline 'arn:aws:iam::111111111111:role/deploy-*'\n" +
			"  sgc activity policy/ --lookup 24h --aws --region eu-west-1",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(trails) == 0 && lookup == 0 {
				return usageErrorf("give the CloudTrail log files (--cloudtrail FILE or DIR, repeatable), or --lookup DURATION to read the last events through CloudTrail")
			}
			if lookup < 0 || lookup > limits.Duration {
				return usageErrorf("--lookup %v: want a positive duration such as 24h", lookup)
			}
			if aws.use == (liveFile != "") {
				return usageErrorf("give --aws to read the groups' ids from the account, or --live FILE.json")
			}
			if window <= 0 || window > limits.Duration {
				return usageErrorf("--window %v: want a positive duration such as 1h", window)
			}
			var files []string
			if len(trails) > 0 {
				var err error
				if files, err = trailFiles(trails); err != nil {
					return &exitError{Code: ExitUsage, Err: err}
				}
			}
			p, rep, err := policyAndLive(cmd, e, args, now, ef, &aws, liveFile, vpc)
			if err != nil {
				return err
			}
			groups := rep.GroupIDs()
			var events []*activity.Event
			keep := func(ev *activity.Event) {
				if _, ours := groups[ev.GroupID()]; ours { // memory: the policy's events only
					events = append(events, ev)
				}
			}
			skipped := 0
			for _, name := range files {
				f, err := os.Open(name)
				if err != nil {
					return &exitError{Code: ExitUsage, Err: err}
				}
				n, err := activity.Read(f, keep)
				f.Close()
				if err != nil {
					return &exitError{Code: ExitUsage, Err: fmt.Errorf("%s: %v", name, err)}
				}
				skipped += n
			}
			breaks := func(r live.Rule) []string { return rep.Breaks(p.Program, r) }
			if len(pipelines) == 0 {
				pipelines = p.Config.Pipeline // sgc.hcl's, unless the flags say otherwise
			}
			if lookup > 0 {
				n, err := activity.LookupAWS(cmd.Context(), activity.LookupOptions{Region: aws.region, Profile: aws.profile, Since: lookup}, keep)
				if err != nil {
					return &exitError{Code: ExitUsage, Err: err}
				}
				skipped += n
			}
			out := activity.Analyze(events, activity.Options{Groups: groups, Pipeline: pipelines, Window: window, Breaks: breaks})
			out.Skipped = skipped
			switch format {
			case "json":
				err = out.WriteJSON(e.stdout)
			case "sarif":
				err = activitySARIF(e, out, p.Program)
			default:
				err = out.WriteText(e.stdout)
			}
			if err != nil {
				return err
			}
			if len(out.Findings) > 0 {
				return findings
			}
			return nil
		},
	}
	now.register(cmd)
	ef.register(cmd)
	cmd.Flags().StringArrayVar(&trails, "cloudtrail", nil, "a CloudTrail log file (.json or .json.gz), or a directory of them (repeatable)")
	cmd.Flags().StringVar(&liveFile, "live", "", "the live groups, for their ids: describe-security-groups JSON, or - for standard input")
	cmd.Flags().StringVar(&vpc, "vpc", "", "only the groups of this VPC")
	cmd.Flags().StringArrayVar(&pipelines, "pipeline", nil, "the pipeline's principal: an ARN pattern (* within a name), e.g. arn:aws:iam::111111111111:role/deploy-* (repeatable; default: sgc.hcl's activity { pipeline })")
	cmd.Flags().DurationVar(&lookup, "lookup", 0, "read the last DURATION (e.g. 24h) of EC2's events through CloudTrail LookupEvents (cloudtrail:LookupEvents; the last 90 days at most)")
	cmd.Flags().DurationVar(&window, "window", time.Hour, "a rule revoked this soon after it was opened is reported as opened-and-closed")
	choiceVar(cmd, &format, "format", "output format", "text", "json", "sarif")
	aws.register(cmd)
	return cmd
}

// activitySARIF writes the findings as SARIF, each on the declaration of
// its group in the policy, so that code scanning shows who changed a group
// where the group is declared.
func activitySARIF(e *env, rep activity.Report, p *model.Program) error {
	var l diag.List
	for _, f := range rep.Findings {
		d := &diag.Diagnostic{Code: string(f.Kind), Severity: diag.Warning,
			Summary: fmt.Sprintf("%s %s %s by %s at %s", f.Group, f.Call, f.Rule, f.Principal, f.Time.UTC().Format(time.RFC3339)), Detail: f.Detail}
		if f.Kind == activity.Failed {
			d.Severity = diag.Info
		}
		if g, ok := p.Lookup(f.Group).(*model.Group); ok {
			d.Subject = g.NameRange
		}
		l = append(l, d)
	}
	var rules []diag.SARIFRule
	for _, k := range activity.Kinds {
		rules = append(rules, diag.SARIFRule{ID: string(k.Kind), Name: string(k.Kind), Short: k.Says, Full: k.Says, Level: diag.Warning})
	}
	return diag.FprintSARIF(e.stdout, l, diag.SARIFTool{Name: "sgc activity", Version: version(), InformationURI: "https://github.com/sgc-dev/sgc", Rules: rules})
}

// trailFiles expands the --cloudtrail arguments: files as given, and the
// *.json and *.json.gz files under each directory, sorted.
func trailFiles(args []string) ([]string, error) {
	return logFiles(args, func(path string) bool { return filepath.Ext(path) == ".json" || filepath.Ext(path) == ".gz" },
		false, "holds no CloudTrail log files (*.json, *.json.gz)")
}
