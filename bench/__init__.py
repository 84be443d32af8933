"""Load benchmarks that print JSON figures (run each as a script: see its docstring)."""
