"""The side panels: editor, variables, gradients, explanation, inspector, paths, problems, flow."""
