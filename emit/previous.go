package emit

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/sgc-dev/sgc/compiler/model"
)

// maxPreviousFile bounds what is read of one earlier output file: a
// target's own files are far smaller (a CloudFormation template is at most
// 1 MB), so anything bigger is not one sgc wrote and is passed over.
const maxPreviousFile = 8 << 20

// Previous reads what the build of target t into dir must keep from the
// output an earlier build of t left there: the AWS description of each
// group, for a target that keeps them (Target.Described). Only files of
// t's own output are read (those its manifest lists, still carrying the
// generated notice), after finishing a build that was killed half-way.
// A directory that does not exist, or holds no earlier output, gives nil.
func Previous(dir string, t *Target) (map[string]string, error) {
	if t.Described == nil {
		return nil, nil
	}
	if info, err := os.Stat(filepath.Join(dir, StateDir)); err != nil || !info.IsDir() {
		return nil, nil // never built into: nothing to keep
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := recoverDir(dir); err != nil {
		return nil, err
	}
	owned, _, err := ownedFiles(dir, t)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(owned))
	for name := range owned {
		names = append(names, name)
	}
	sort.Strings(names) // the same files in the same order: a deterministic result
	var files []File
	for _, name := range names {
		data, err := readBounded(filepath.Join(dir, name))
		if err != nil || !IsGenerated(data) {
			continue // gone, unreadable, too big or edited by hand: not ours to go by
		}
		files = append(files, File{Path: name, Data: data})
	}
	return t.Described(files), nil
}

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPreviousFile+1))
	if err == nil && len(data) > maxPreviousFile {
		err = errors.New("too big")
	}
	return data, err
}

// DescribedAfter returns the AWS description each group of p has once p's
// build is deployed over an output that kept the descriptions in
// opts.Described: the kept one where there is one, the policy's
// otherwise. A plan prediction gives it to the next build, as the output
// directory does.
func DescribedAfter(p *model.Program, opts Options) map[string]string {
	out := make(map[string]string, len(p.Groups))
	for _, g := range p.Groups {
		out[g.Name] = g.Description
		if d, ok := opts.Described[g.Name]; ok {
			out[g.Name] = d
		}
		if a := opts.Adopt.GroupOf(g.Name); a != nil && a.Description != "" {
			out[g.Name] = a.Description
		}
	}
	return out
}
