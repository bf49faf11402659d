"""What the demo district's 2026Q3 bulletin must say, written by hand from
examples/build_demo_history.py: read by tests/bulletin/test_demo_bulletin.py and
tests/browser/test_browser_bulletin.py."""

# by hand, from examples/build_demo_history.py
MOVERS = {"up": ["YX-RS", "YX-SJ"], "down": ["YX-WJ", "YX-ZW"], "new": [], "gone": []}
NEW = {"YX-WJ": {("SHR-003", "resource:R-WJ-JK")},
       "YX-ZW": {("ODS-004", "item:R-ZW-BJ/申请人身份证号")}}
FIXED = {"YX-RS": {("SHR-001", "resource:R-RS-JY"), ("CAT-002", "resource:R-RS-JY")},
         "YX-SJ": {("SYS-001", "system:YX-S-SJ-ZF"), ("SYS-002", "system:YX-S-SJ-ZF")}}
