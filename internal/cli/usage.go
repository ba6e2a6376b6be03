package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/account/usage"
	"github.com/sgc-dev/sgc/internal/fsutil"
	"github.com/sgc-dev/sgc/internal/limits"
)

const usageDoc = `Usage says which of the policy's flows carry traffic, from VPC Flow Logs:
for each flow its records, bytes, first and last seen and top peers; the
flows with no traffic for --unused-for (removal candidates, with purpose
and line); networks far wider than the addresses that talked (with the
edit that narrows them, purpose kept); accepted traffic no flow allows
(another group's rule, or drift); rejected traffic by destination and
port (a forgotten flow, or a scan).

Flow logs are read from files as S3 receives them (--flow-logs FILE or
DIR: text, gzip or not, the first line naming the fields, the default
format and custom formats alike; or Parquet) or from a CloudWatch Logs group (--cloudwatch GROUP
--since 7d). CloudWatch events carry no header: give a custom format with
--log-format '${version} ${interface-id} ...' as the flow log was created.
Records are matched to the policy through the network interfaces, read
from the account (--aws: ec2:DescribeNetworkInterfaces) or an export
(--interfaces FILE.json, aws ec2 describe-network-interfaces), and the
groups' ids (--aws, or --live FILE.json). Logs are streamed: memory is
bounded by the policy and the number of distinct peers.

--format json writes the evidence sgc check --usage FILE reads: the lint
of flows unused for 90 days (SG121, waivable like every finding).

Exit status: 0 when every flow carried traffic and nothing unexplained was
accepted, 1 otherwise, 2 for bad usage or a file that is not a flow log.`

func newUsageCmd(e *env) *cobra.Command {
	var (
		logs                  []string
		cloudwatch, logFormat string
		since, unusedFor      string
		interfaces, liveFile  string
		vpc, format           string
		aws                   awsFlags
		now                   nowFlag
		ef                    envFlag
	)
	cmd := &cobra.Command{
		Use:   "usage [PATH...] --flow-logs FILE|DIR...|--cloudwatch GROUP --aws|--interfaces FILE --live FILE",
		Short: "Which flows carry traffic, from VPC Flow Logs",
		Long:  usageDoc,
		Example: "  aws s3 sync s3://flow-logs/AWSLogs/111111111111/vpcflowlogs/eu-west-1/2026/11 flowlogs/\n" +
			"  sgc usage policy/ --flow-logs flowlogs/ --aws --unused-for 30d\n" +
			"  sgc usage policy/ --cloudwatch /vpc/flow-logs --since 7d --aws --region eu-west-1\n" +
			"  sgc usage policy/ --flow-logs flowlogs/ --interfaces enis.json --live groups.json --format json > usage.json\n" +
			"  sgc check policy/ --usage usage.json",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(logs) == 0 && cloudwatch == "" {
				return usageErrorf("give the flow logs: --flow-logs FILE or DIR (repeatable), or --cloudwatch LOG_GROUP")
			}
			if !aws.use && (interfaces == "" || liveFile == "") {
				return usageErrorf("give --aws to read the interfaces and groups from the account, or --interfaces FILE.json and --live FILE.json")
			}
			if aws.use && (interfaces != "" || liveFile != "") {
				return usageErrorf("--aws reads the interfaces and groups itself: leave out --interfaces and --live")
			}
			unused, err := parseWithin(unusedFor)
			if err != nil || unused <= 0 || unused > limits.Duration {
				return usageErrorf("--unused-for %q: want a duration such as 30d", unusedFor)
			}
			var window time.Duration
			if cloudwatch != "" {
				if window, err = parseWithin(since); err != nil || window <= 0 || window > limits.Duration {
					return usageErrorf("--since %q: want a duration such as 7d", since)
				}
			}
			var fmtOf *usage.Format
			if logFormat != "" {
				if fmtOf, err = usage.ParseFormat(logFormat); err != nil {
					return usageErrorf("--log-format: %v", err)
				}
			}
			files, err := flowLogFiles(logs)
			if err != nil {
				return &exitError{Code: ExitUsage, Err: err}
			}
			p, rep, err := policyAndLive(cmd, e, args, now, ef, &aws, liveFile, vpc)
			if err != nil {
				return err
			}
			var ifs []live.Interface
			if aws.use {
				if ifs, err = live.FetchInterfaces(cmd.Context(), aws.options(vpc)); err != nil {
					return &exitError{Code: ExitUsage, Err: err}
				}
			} else {
				data, err := fsutil.ReadRegular(interfaces, limits.Export)
				if err != nil {
					return &exitError{Code: ExitUsage, Err: err}
				}
				if ifs, err = live.ParseInterfaces(data); err != nil {
					return &exitError{Code: ExitUsage, Err: fmt.Errorf("%s: %v", interfaces, err)}
				}
			}
			an := usage.NewAnalyzer(p.Program, rep.GroupIDs(), ifs)
			var st usage.Stats
			for _, name := range files {
				s, err := usage.ReadFile(name, fmtOf, an.Add)
				if err != nil {
					return &exitError{Code: ExitUsage, Err: fmt.Errorf("%s: %v", name, err)}
				}
				st.Add(s)
			}
			if cloudwatch != "" {
				opts := aws.options(vpc)
				s, err := usage.ReadCloudWatch(cmd.Context(), usage.CloudWatchOptions{Region: opts.Region, Profile: opts.Profile,
					LogGroup: cloudwatch, Since: window, Format: fmtOf}, an.Add)
				if err != nil {
					return &exitError{Code: ExitUsage, Err: err}
				}
				st.Add(s)
			}
			out := an.Report(st, usage.Options{UnusedFor: unused})
			if format == "json" {
				err = out.WriteJSON(e.stdout)
			} else {
				sayEnv(e.stdout, p)
				err = out.WriteText(e.stdout)
			}
			if err != nil {
				return err
			}
			if len(out.Unused) > 0 || len(out.Unexplained) > 0 {
				return findings
			}
			return nil
		},
	}
	now.register(cmd)
	ef.register(cmd)
	cmd.Flags().StringArrayVar(&logs, "flow-logs", nil, "a flow log file as S3 receives it (gzip or not), or a directory of them (repeatable)")
	cmd.Flags().StringVar(&cloudwatch, "cloudwatch", "", "read the flow logs of this CloudWatch Logs group (logs:FilterLogEvents)")
	cmd.Flags().StringVar(&since, "since", "7d", "with --cloudwatch: how far back to read, such as 7d or 2w")
	cmd.Flags().StringVar(&logFormat, "log-format", "", "the flow log's custom format, for logs without a header line (CloudWatch): '${version} ${interface-id} ...'")
	cmd.Flags().StringVar(&interfaces, "interfaces", "", "the network interfaces: aws ec2 describe-network-interfaces JSON")
	cmd.Flags().StringVar(&liveFile, "live", "", "the live groups, for their ids: describe-security-groups JSON, or - for standard input")
	cmd.Flags().StringVar(&vpc, "vpc", "", "only the groups and interfaces of this VPC")
	cmd.Flags().StringVar(&unusedFor, "unused-for", "30d", "a flow without traffic for this long is a removal candidate")
	choiceVar(cmd, &format, "format", "output format (json: the evidence sgc check --usage reads)", "text", "json")
	aws.register(cmd)
	return cmd
}

// flowLogFiles lists the files named: a file stands for itself, a
// directory for every regular file under it (S3's date directories),
// hidden ones left out.
func flowLogFiles(args []string) ([]string, error) {
	return logFiles(args, func(path string) bool { return !strings.HasPrefix(filepath.Base(path), ".") }, true, "holds no files")
}
