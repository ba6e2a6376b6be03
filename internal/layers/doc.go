// Package layers holds, in its test, the import rules of sgc's packages:
// every package depends only downward (lang < compiler < config, load <
// emit, review, account), as the Go tree's own dependency test holds its
// packages. It has no code.
package layers
