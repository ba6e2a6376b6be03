// Package policy loads a policy from disk: it finds the intent files under
// the paths given, parses each, and compiles them together. It is the one
// place that does I/O for the front end, so the CLI, the emitters' tests
// and the review tools all read policies the same way.
package load

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/envs"
	"github.com/sgc-dev/sgc/compiler/lint"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/config"
	"github.com/sgc-dev/sgc/config/adopt"
	"github.com/sgc-dev/sgc/internal/fsutil"
	"github.com/sgc-dev/sgc/internal/limits"
	"github.com/sgc-dev/sgc/internal/parallel"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/parser"
	"github.com/sgc-dev/sgc/lang/source"
)

// Ext is the extension of intent files.
const Ext = ".intent"

// Policy is a loaded policy: its files' text, their syntax trees, the
// compiled model and every diagnostic found on the way.
type Policy struct {
	Sources source.Files
	Files   []*ast.File
	Program *model.Program  // never nil; not to be emitted when Diags has errors
	Diags   diag.List       // sorted
	Config  config.Config   // from sgc.hcl, or the defaults
	Adopt   *model.Adoption // from *.adopt.hcl beside the policy, or nil
	Lint    lint.Result     // findings and waived findings; empty when there were errors
	// Environments are the environments the policy declares, nil when it
	// declares none. Then Envs holds each one's program, Program is the
	// first's (for what needs any), and Diags and Lint are merged: one
	// diagnostic per finding, saying its environments. ForEnv gives the
	// policy of one environment.
	Environments *envs.Policy
	Envs         []*Env
	// common are the diagnostics of no one environment: parsing,
	// environments, settings.
	common diag.List
	opts   compiler.Options
}

// Env is one environment of a policy: its compiled program, its own
// diagnostics (the common ones included) and lint findings.
type Env struct {
	*model.Environment
	Program *model.Program
	Diags   diag.List
	Lint    lint.Result
}

// UsageError is a problem with the paths given rather than with the
// policy: a path that does not exist, or a directory without intent files.
// Callers report it as bad usage (exit code 2), not as a finding.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Files lists the intent files named by paths: a file stands for itself,
// a directory for the *.intent files directly in it, and DIR/... (as go
// names a package tree) for the *.intent files anywhere under DIR, hidden
// directories (.git, .terraform, .sgc) left out. The result is sorted and
// free of repeats. A directory with no intent files of its own whose
// subdirectories have some is bad usage: the files would not be read.
func Files(paths []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(f string) {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	for _, p := range paths {
		if dir, ok := strings.CutSuffix(p, "/..."); ok || p == "..." {
			if p == "..." {
				dir = "."
			}
			found, err := tree(dir)
			if err != nil {
				return nil, &UsageError{err}
			}
			if len(found) == 0 {
				return nil, &UsageError{fmt.Errorf("%s: no %s files in this directory or under it", p, Ext)}
			}
			for _, f := range found {
				add(f)
			}
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			return nil, &UsageError{pathError(err, p)}
		}
		if !info.IsDir() {
			add(p)
			continue
		}
		found, err := direct(p)
		if err != nil {
			return nil, &UsageError{pathError(err, p)}
		}
		if len(found) == 0 {
			if below, _ := Unread([]string{p}); len(below) > 0 {
				return nil, &UsageError{fmt.Errorf("%s: no %s files in this directory, but %s under it: give %s/... to read the whole tree as one policy",
					p, Ext, someOf(below), strings.TrimSuffix(p, "/"))}
			}
			return nil, &UsageError{fmt.Errorf("%s: no %s files in this directory", p, Ext)}
		}
		for _, f := range found {
			add(f)
		}
	}
	sort.Strings(out)
	return out, nil
}

// Unread lists the subdirectories of the directories named in paths (not
// DIR/..., which reads them) that hold intent files the policy does not
// read: a tree laid out as common.intent and prod/p.intent read as one
// directory would silently leave prod out.
func Unread(paths []string) ([]string, error) {
	var out []string
	total := unreadTotal
	for _, p := range paths {
		if strings.HasSuffix(p, "...") {
			continue
		}
		if info, err := os.Stat(p); err != nil || !info.IsDir() {
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			sub := filepath.Join(p, e.Name())
			budget := min(unreadEach, total)
			found := holdsIntent(sub, &budget)
			total -= min(unreadEach, total) - budget
			if found {
				out = append(out, sub)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// someOf joins the first few directories of dirs and says how many more
// there are: a tree of a hundred policies is one line, not a hundred.
func someOf(dirs []string) string {
	const few = 5
	if len(dirs) <= few {
		return strings.Join(dirs, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(dirs[:few], ", "), len(dirs)-few)
}

// Unread only warns, and every command that reads a directory runs it: it
// looks at no more than unreadEach entries below each subdirectory and
// unreadTotal in all, and stops at the first intent file, so that a tree
// of dependencies beside a policy (a node_modules of 100,000 files cost
// each check 70 ms) is not walked on every run. Variables, for the test.
var unreadEach, unreadTotal = 20000, 100000

// holdsIntent reports whether dir, or a directory below it that is not
// hidden, holds an intent file, looking at no more than *budget entries
// (and taking them off it) and stopping at the first such file.
func holdsIntent(dir string, budget *int) bool {
	found := false
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		switch {
		case *budget <= 0:
			return fs.SkipAll
		case err != nil:
			return nil // what cannot be read holds nothing to warn of
		}
		*budget--
		if d.IsDir() && path != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), Ext) {
			found = true
			return fs.SkipAll
		}
		return nil
	})
	return found
}

// direct lists the intent files directly in dir.
func direct(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), Ext) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out, nil
}

// tree lists the intent files under dir, leaving out hidden directories
// and not following links to directories (a link cycle would never end).
func tree(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return pathError(err, path)
		}
		if d.IsDir() && path != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), Ext) {
			out = append(out, path)
		}
		return nil
	})
	return out, err
}

func pathError(err error, p string) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: no such file or directory", p)
	}
	return err
}

// ConfigPath returns where the settings file of the policy at paths is
// looked for: in the first path when it is a directory, else beside it.
func ConfigPath(paths []string) string {
	if len(paths) == 0 {
		return config.FileName
	}
	if dir, ok := strings.CutSuffix(paths[0], "/..."); ok {
		return filepath.Join(dir, config.FileName)
	}
	if paths[0] == "..." {
		return config.FileName
	}
	if info, err := os.Stat(paths[0]); err == nil && info.IsDir() {
		return filepath.Join(paths[0], config.FileName)
	}
	return filepath.Join(filepath.Dir(paths[0]), config.FileName)
}

// Load reads the settings file (if any), and reads, parses, compiles and
// lints the policy at paths.
func Load(paths []string, opts compiler.Options) (*Policy, error) {
	p, err := Read(paths, opts)
	if err != nil {
		return nil, err
	}
	p.RunLint()
	return p, nil
}

// Read is Load without the lints: for a driver that runs them itself, at
// the same time as other work that reads the program (build emits while
// the lints run), with RunLint.
func Read(paths []string, opts compiler.Options) (*Policy, error) {
	names, err := Files(paths)
	if err != nil {
		return nil, err
	}
	srcs := make(map[string][]byte, len(names))
	total := 0
	for _, n := range names {
		if err := CheckFileName(n); err != nil {
			return nil, &UsageError{err}
		}
		b, err := fsutil.ReadRegular(n, limits.IntentFile)
		if err != nil {
			return nil, &UsageError{err}
		}
		if total += len(b); total > limits.Policy {
			return nil, &UsageError{fmt.Errorf("the policy's files are larger than %d MiB together, the most sgc reads", limits.Policy>>20)}
		}
		srcs[n] = b
	}
	cfgPath := ConfigPath(paths)
	cfgSrc, err := readConfig(cfgPath)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, &UsageError{err}
	}
	p := withConfig(srcs, opts, cfgPath, cfgSrc)
	if dir := filepath.Dir(cfgPath); dir != "" {
		m, files, d, err := adopt.Load(dir)
		if err != nil {
			return nil, &UsageError{err}
		}
		for _, f := range files {
			p.Sources.Add(f)
		}
		switch {
		case p.Environments != nil && len(files) > 0:
			var w diag.List
			w.Warnf(source.Range{}, UnreadIntentFiles, "adoption mappings are not read for a policy with environments").
				WithDetail("Adopt each environment's groups from a policy without environments first, then move to environments.")
			p.addCommon(w)
		default:
			p.addCommon(d)
			a, d := adopt.Resolve(m, p.Program)
			p.Adopt = a
			p.addCommon(d)
		}
	}
	if unread, _ := Unread(paths); len(unread) > 0 {
		verb := "holds"
		if len(unread) > 1 {
			verb = "hold"
		}
		var w diag.List
		w.Warnf(source.Range{}, UnreadIntentFiles, "%s %s intent files that are not part of this policy", someOf(unread), verb).
			WithSuggestion("Give %s/... to read the whole tree as one policy, or each directory as a policy of its own.", strings.TrimSuffix(paths[0], "/"))
		p.addCommon(w)
	}
	return p, nil
}

// withConfig compiles srcs with the settings file cfgPath holds (cfgSrc;
// nil: none, the defaults), and gives the groups of each file the owner
// the settings give it: a policy in the working tree, or at a git
// revision (FromGit), whose owners are asked for what a change removes.
func withConfig(srcs map[string][]byte, opts compiler.Options, cfgPath string, cfgSrc []byte) *Policy {
	cfg := config.Default()
	var cfgDiags diag.List
	if cfgSrc != nil {
		cfg, cfgDiags = config.Parse(cfgPath, cfgSrc)
	}
	if opts.ExpiringWithin == 0 {
		opts.ExpiringWithin = cfg.Lint.ExpiringWithin
	}
	p := fromSources(srcs, opts, cfg)
	if len(cfgSrc) > 0 {
		p.Sources.Add(&source.File{Name: cfgPath, Src: cfgSrc})
	}
	p.addCommon(cfgDiags)
	for _, e := range p.Envs {
		defaultOwners(e.Program, cfg.Owners, filepath.Dir(cfgPath))
	}
	if p.Envs == nil {
		defaultOwners(p.Program, cfg.Owners, filepath.Dir(cfgPath))
	}
	return p
}

// readConfig reads the settings file: a regular file of at most
// limits.ConfigFile bytes (config.Parse says so at the file when it is
// larger, so only a file far past the limit is refused here).
func readConfig(path string) ([]byte, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	return fsutil.ReadRegular(path, limits.ConfigFile+1)
}

// CheckFileName refuses an intent file whose name could carry text into
// an output as something else: a line break or other control character
// (a new line in a generated header), or a character that reorders text
// on screen. The name is in every rule's source tag and in reports.
func CheckFileName(path string) error {
	for _, r := range filepath.Base(path) {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f {
			return fmt.Errorf("%q: intent file names may not contain control or bidirectional characters; rename the file", path)
		}
	}
	return nil
}

// ParsePorts reads a port list written as in intent files ("tcp/443",
// "udp/53, icmp/8"), without service names: for queries such as sgc why.
// It is the loader's because it turns text into the model: the compiler
// only ever sees syntax trees.
func ParsePorts(text string) ([]model.Port, diag.List) {
	f, diags := parser.ParseFile("<ports>", []byte("service q "+text))
	if diags.HasErrors() {
		return nil, diags
	}
	svc, ok := f.Stmts[0].(*ast.ServiceDecl)
	if len(f.Stmts) != 1 || !ok {
		var l diag.List
		l.Errorf(source.Range{}, parser.InvalidPort, "invalid port %q", text)
		return nil, l
	}
	return compiler.Ports(svc.Ports)
}

// DropSyntax lets the syntax trees (Files) go, for a command that reads
// only the program, the diagnostics and the sources from then on, as a
// build does. A large policy's trees are a third of what its build holds:
// its one collection then neither marks them nor keeps their memory from
// what the output allocates next (a tenth of a 50,000-flow build's CPU).
// A policy with environments keeps them: ForEnv compiles from them.
func (p *Policy) DropSyntax() {
	if p.Environments == nil {
		p.Files = nil
	}
}

// CompileErrors reports whether the policy has errors other than lint
// findings: whether it failed to parse, resolve or validate.
func (p *Policy) CompileErrors() bool {
	return p.Diags.Count(diag.Error) > p.Lint.Diags.Count(diag.Error)
}

// RunLint runs every check with the policy's settings and adds the
// findings to Diags. It does nothing when the policy has errors: lints
// judge a complete model, and a half-resolved one would give false findings.
func (p *Policy) RunLint() {
	if p.Diags.HasErrors() {
		return
	}
	if p.Environments != nil {
		p.lintEnvs()
		return
	}
	p.Lint = lint.Run(p.Program, lint.Checks, p.Config.Lint)
	p.Diags = append(p.Diags, p.Lint.Diags...)
	p.Diags.Sort()
}

// FromSources parses and compiles a policy held in memory, keyed by file
// name. Compilation runs even when some statements failed to parse: the
// parser keeps the names of bad declarations, so their uses are not
// reported again, and the user sees every problem of the policy at once.
func FromSources(srcs map[string][]byte, opts compiler.Options) *Policy {
	return fromSources(srcs, opts, config.Default())
}

// FromSourcesConfig is FromSources with the settings of an sgc.hcl: for
// an editor, whose files are partly on disk and partly in its buffers.
func FromSourcesConfig(srcs map[string][]byte, opts compiler.Options, cfg config.Config) *Policy {
	if opts.ExpiringWithin == 0 {
		opts.ExpiringWithin = cfg.Lint.ExpiringWithin
	}
	return fromSources(srcs, opts, cfg)
}

func fromSources(srcs map[string][]byte, opts compiler.Options, cfg config.Config) *Policy {
	p := &Policy{Sources: source.Files{}, Config: cfg}
	names := make([]string, 0, len(srcs))
	for n := range srcs {
		names = append(names, n)
	}
	sort.Strings(names)
	// Files parse independently: spread them over the cores.
	files := make([]*ast.File, len(names))
	fileDiags := make([]diag.List, len(names))
	parallel.Each(len(names), func(i int) {
		files[i], fileDiags[i] = parser.ParseFile(names[i], srcs[names[i]])
	})
	for i, n := range names {
		p.Sources.Add(&source.File{Name: n, Src: parser.StripBOM(srcs[n])})
		p.Files = append(p.Files, files[i])
		p.Diags = append(p.Diags, fileDiags[i]...)
	}
	ep, diags := envs.Read(p.Files, cfg.EnvironmentGroupNames)
	p.Diags = append(p.Diags, diags...)
	if ep == nil {
		prog, diags := compiler.Compile(p.Files, opts)
		p.Program = prog
		p.Diags = append(p.Diags, diags...)
		p.Diags.Sort()
		return p
	}
	p.compileEnvs(ep, opts)
	return p
}

// FromGit reads the policy at paths as it was at git revision rev, with
// the user's own git, and compiles it. Paths are relative to the working
// directory, which must be inside the repository.
func FromGit(rev string, paths []string, opts compiler.Options) (*Policy, error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	commit, err := resolveRev(rev)
	if err != nil {
		return nil, &UsageError{err}
	}
	rev = commit
	var names []string
	seen := map[string]bool{}
	// The revision is compiled with its own settings file, as the working
	// tree is with its own (withConfig): without it the groups it owns
	// (owners { files }) had no owner, and a flow a change removed asked
	// no one's approval.
	cfgName := filepath.ToSlash(ConfigPath(paths))
	cfgListed, cfgFound := false, false
	for _, p := range paths {
		dir, isTree := strings.CutSuffix(p, "/...")
		if p == "..." {
			dir, isTree = ".", true
		}
		target := filepath.ToSlash(filepath.Clean(dir))
		// A directory lists its entries (a tree: all of them, below too);
		// a file lists itself.
		var out string
		if isTree {
			out, err = git("ls-tree", "-r", "-z", "--name-only", rev, "--", target+"/")
		} else {
			out, err = git("ls-tree", "-z", "--name-only", rev, "--", target+"/")
		}
		if err == nil && out == "" && !isTree {
			out, err = git("ls-tree", "-z", "--name-only", rev, "--", target)
		}
		if err != nil {
			return nil, &UsageError{err}
		}
		cfgListed = cfgListed || path.Dir(cfgName) == target || isTree && strings.HasPrefix(cfgName, target+"/")
		// -z: names as they are, not quoted (git quotes names with
		// non-ASCII letters or quotes, which would not end in .intent).
		for _, name := range strings.Split(out, "\x00") {
			cfgFound = cfgFound || name == cfgName
			if !strings.HasSuffix(name, Ext) {
				continue
			}
			if err := CheckFileName(name); err != nil {
				return nil, &UsageError{err}
			}
			if !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	if !cfgListed { // beside a file: not in any listing
		out, err := git("ls-tree", "-z", "--name-only", rev, "--", cfgName)
		cfgFound = err == nil && strings.TrimSuffix(out, "\x00") == cfgName
	}
	read := names
	if cfgFound {
		read = append(slices.Clip(names), cfgName)
	}
	srcs, err := gitBlobs(rev, read, limits.IntentFile)
	if err != nil {
		return nil, &UsageError{err}
	}
	cfgSrc := srcs[cfgName]
	delete(srcs, cfgName)
	if len(srcs) == 0 {
		return nil, &UsageError{fmt.Errorf("%s: no %s files at revision %s", strings.Join(paths, ", "), Ext, rev)}
	}
	return withConfig(srcs, opts, cfgName, cfgSrc), nil
}

// resolveRev turns a revision into the commit it names, so that what a
// user types is never taken for an option of git's ("--output=...").
func resolveRev(rev string) (string, error) {
	if rev == "" || strings.HasPrefix(rev, "-") {
		return "", fmt.Errorf("%q is not a git revision", rev)
	}
	out, err := git("rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		return "", fmt.Errorf("%s is not a commit of this repository", rev)
	}
	return strings.TrimSpace(out), nil
}

// GitDate returns the day (UTC) of the commit rev names: the day its
// policy was built, as far as sgc can tell, for a diff that compares what
// is deployed with what will be.
func GitDate(rev string) (time.Time, error) {
	commit, err := resolveRev(rev)
	if err != nil {
		return time.Time{}, err
	}
	out, err := git("show", "-s", "--format=%cI", commit)
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(out))
	if err != nil {
		return time.Time{}, fmt.Errorf("the date of %s: %v", rev, err)
	}
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
}

func git(args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
	}
	return string(out), nil
}

// defaultOwners gives each group that names no owner the owner sgc.hcl
// gives its file (the longest matching pattern, relative to dir).
func defaultOwners(p *model.Program, owners map[string]string, dir string) {
	if len(owners) == 0 || p == nil {
		return
	}
	for _, g := range p.Groups {
		if g.Owner != "" {
			continue
		}
		rel, err := filepath.Rel(dir, g.Range.Start.Filename)
		if err != nil {
			continue
		}
		best := ""
		for pattern, owner := range owners {
			if ok, _ := path.Match(pattern, filepath.ToSlash(rel)); ok && len(pattern) > len(best) {
				best, g.Owner = pattern, owner
			}
		}
	}
}
