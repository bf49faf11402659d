"""python -m yishu"""

from yishu.cli import main

main()
