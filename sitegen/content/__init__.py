"""Read and check content/: YAML with lazy line marks, Markdown as text, the model, the rules across files, and the YAML the generator writes."""
