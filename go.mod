module github.com/sgc-dev/sgc

go 1.26.8

require (
	github.com/agext/levenshtein v1.2.1
	golang.org/x/tools v0.52.0
)

require github.com/alecthomas/participle/v2 v2.1.4
