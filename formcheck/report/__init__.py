"""Outputs written from analysis results: report.json, CSV tables, HTML, terminal summary."""
