from zhengce.cli import main

main()
