package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/sgc-dev/sgc/drift"
	"github.com/sgc-dev/sgc/importer"
	"github.com/sgc-dev/sgc/internal/fsutil"
	"github.com/sgc-dev/sgc/internal/limits"
	"github.com/sgc-dev/sgc/live"
)

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

Without -o a single draft is printed; with -o DIR each VPC's draft is written
to DIR/<vpc-id>.intent. A draft carries a hash of its content: import
replaces a draft nobody has edited, refuses one that was edited (unless
--force), and never overwrites a file it did not draft.`

func newImportCmd(e *env) *cobra.Command {
	var (
		dir, vpc string
		force    bool
	)
	cmd := &cobra.Command{
		Use:     "import FILE.json|- [-o DIR] [--vpc ID] [--force]",
		Short:   "Draft intent from existing security groups",
		Long:    importDoc,
		Example: "  aws ec2 describe-security-groups > groups.json\n  sgc import groups.json -o policy/\n  aws ec2 describe-security-groups | sgc import - --vpc vpc-0abc12345",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ex, err := readExport(e, args[0])
			if err != nil {
				return err
			}
			drafts, err := importer.Import(ex, importer.Options{VPC: vpc})
			if err != nil {
				return &exitError{Code: ExitUsage, Err: err}
			}
			for _, d := range drafts {
				for _, w := range d.Warnings {
					fmt.Fprintf(e.stderr, "warning: %s\n", w)
				}
			}
			if dir == "" {
				if len(drafts) > 1 {
					var vpcs []string
					for _, d := range drafts {
						vpcs = append(vpcs, d.VPC)
					}
					return usageErrorf("the export holds %d VPCs (%v): choose one with --vpc, or write all with -o DIR", len(drafts), vpcs)
				}
				_, err := e.stdout.Write(drafts[0].Source)
				return err
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			// Check every file before writing any, so a refusal changes nothing.
			for _, d := range drafts {
				path := filepath.Join(dir, d.File)
				head, regular, err := fsutil.Head(path)
				switch {
				case errors.Is(err, fs.ErrNotExist):
				case err != nil:
					return err
				case !regular || !importer.IsDraft(head):
					return &exitError{Code: ExitUsage, Err: fmt.Errorf("%s exists and was not drafted by sgc import; refusing to overwrite it", path)}
				case !force:
					old, err := os.ReadFile(path)
					if err != nil {
						return err
					}
					if !importer.Unedited(old) {
						return &exitError{Code: ExitUsage, Err: fmt.Errorf("%s is a draft someone has edited since sgc import wrote it; refusing to overwrite it (use --force to replace it)", path)}
					}
				}
			}
			for _, d := range drafts {
				path := filepath.Join(dir, d.File)
				if err := fsutil.WriteFileAtomic(path, d.Source, 0o644); err != nil {
					return err
				}
				fmt.Fprintf(e.stderr, "wrote %s\n", path)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&dir, "out", "o", "", "write one draft per VPC into this directory")
	cmd.Flags().StringVar(&vpc, "vpc", "", "import only this VPC")
	cmd.Flags().BoolVar(&force, "force", false, "replace drafts that were edited since sgc import wrote them")
	return cmd
}

const driftDoc = `Drift compares a policy with the security groups that exist (the JSON of
'aws ec2 describe-security-groups', FILE or - for standard input), matching
groups by name:

  unmanaged          a live rule the intent does not have: someone opened it by hand
  missing            a rule of the intent that is not live
  unknown-group      a live group the policy does not declare
  absent-group       a declared group that does not exist
  description        a rule whose live description differs from the purpose
  group-description  a group whose live description differs

The VPCs' default groups are not compared. Exit status: 0 without drift, 1
with drift (for a scheduled job), 2 for bad usage.`

func newDriftCmd(e *env) *cobra.Command {
	var (
		now              nowFlag
		liveFile, format string
	)
	cmd := &cobra.Command{
		Use:     "drift [PATH...] --live FILE.json|-",
		Short:   "Compare a policy with the live security groups",
		Long:    driftDoc,
		Example: "  aws ec2 describe-security-groups | sgc drift policy/ --live -\n  sgc drift policy/ --live groups.json --format markdown",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json", "markdown"); err != nil {
				return err
			}
			if liveFile == "" {
				return usageErrorf("--live FILE.json is required (use - for standard input)")
			}
			ex, err := readExport(e, liveFile)
			if err != nil {
				return err
			}
			p, err := loadClean(e, args, now)
			if err != nil {
				return err
			}
			rep, err := drift.Compare(p.Program, ex)
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
			if len(rep.Findings) > 0 {
				return findings
			}
			return nil
		},
	}
	now.register(cmd)
	cmd.Flags().StringVar(&liveFile, "live", "", "the live groups: describe-security-groups JSON, or - for standard input")
	cmd.Flags().StringVar(&format, "format", "text", "text, json or markdown")
	return cmd
}
