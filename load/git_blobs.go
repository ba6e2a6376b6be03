package load

import (
	"bufio"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"

	"github.com/sgc-dev/sgc/internal/fsutil"
)

// gitBlobs reads the files names (relative to the working directory) as
// they are at commit rev, with one `git cat-file --batch` for them all: a
// git process a file made a policy of a thousand files cost a thousand
// processes. Each file is refused over max bytes before it is read, as in
// the working tree.
func gitBlobs(rev string, names []string, max int64) (map[string][]byte, error) {
	out := make(map[string][]byte, len(names))
	var batch []string
	for _, n := range names {
		if strings.Contains(n, "\n") {
			// cat-file takes a name a line: such a name is asked alone,
			// its size first.
			object := rev + ":./" + n
			sz, err := git("cat-file", "-s", object)
			if err != nil {
				return nil, err
			}
			size, err := strconv.ParseInt(strings.TrimSpace(sz), 10, 64)
			switch {
			case err != nil:
				return nil, fmt.Errorf("%s at revision %s could not be read: git cat-file gives its size as %q", n, rev, sz)
			case size > max:
				return nil, tooLarge(rev, n, size, max)
			}
			data, err := git("cat-file", "blob", object)
			if err != nil {
				return nil, err
			}
			out[n] = []byte(data)
			continue
		}
		batch = append(batch, n)
	}
	if len(batch) == 0 {
		return out, nil
	}
	cmd := exec.Command("git", "cat-file", "--batch")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git cat-file: %v", err)
	}
	go func() { // the names go in while the files come out
		w := bufio.NewWriter(stdin)
		for _, n := range batch {
			w.WriteString(rev + ":./" + n + "\n")
		}
		w.Flush()
		stdin.Close()
	}()
	if err := readBatch(stdout, rev, batch, max, out); err != nil {
		cmd.Process.Kill() // what is left unread is not wanted
		cmd.Wait()
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			err = fmt.Errorf("%v (git: %s)", err, msg)
		}
		return nil, err
	}
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("git cat-file: %v %s", err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// readBatch reads the answers of git cat-file --batch to the names, in
// order, into out: for each, "<id> blob <size>", the size's bytes and a
// line feed, or "<name> missing". Nothing over max bytes is read.
// FuzzReadBatch holds it to refusing, never crashing or over-reading.
func readBatch(from io.Reader, rev string, names []string, max int64, out map[string][]byte) error {
	r := bufio.NewReaderSize(from, 64<<10)
	for _, n := range names {
		header, err := readLine(r, 4<<10)
		if err != nil {
			return fmt.Errorf("%s at revision %s could not be read: %v", n, rev, err)
		}
		f := strings.Fields(header)
		if len(f) != 3 || f[1] != "blob" {
			if len(f) == 3 && !strings.HasSuffix(header, " missing") {
				return fmt.Errorf("%s at revision %s is a %s, not a file", n, rev, f[1])
			}
			return fmt.Errorf("%s at revision %s could not be read: git cat-file says %q", n, rev, header)
		}
		size, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil || size < 0 {
			return fmt.Errorf("%s at revision %s could not be read: git cat-file gives its size as %q", n, rev, f[2])
		}
		if size > max {
			return tooLarge(rev, n, size, max)
		}
		data := make([]byte, size+1) // and the line feed that ends it
		if _, err := io.ReadFull(r, data); err != nil {
			return fmt.Errorf("%s at revision %s could not be read: %v", n, rev, err)
		}
		out[n] = data[:size:size]
	}
	return nil
}

// readLine reads a line of at most max bytes, without its line feed.
func readLine(r *bufio.Reader, max int) (string, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > max {
			return "", fmt.Errorf("a line of git's over %d bytes", max)
		}
		switch err {
		case nil:
			return string(line[:len(line)-1]), nil
		case bufio.ErrBufferFull:
			continue
		default:
			return "", err
		}
	}
}

// tooLarge is the error of a file over the size sgc reads.
func tooLarge(rev, name string, size, max int64) error {
	return fmt.Errorf("%s at revision %s is %s; sgc reads at most %s", name, rev, fsutil.Size(size), fsutil.Size(max))
}
