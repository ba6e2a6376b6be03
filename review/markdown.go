package review

import "github.com/sgc-dev/sgc/internal/markdown"

// mdText and mdCode are the report's names for the shared escapers.
var (
	mdText = markdown.Text
	mdCode = markdown.Code
)
