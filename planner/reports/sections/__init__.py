"""The sections of report.html, one module each, in the order the page shows them.

Each module has one public function that takes the PlanView and returns the
section's HTML ('' when the plan has nothing for it).
"""
