from pipl_lint.cli import main

main()
