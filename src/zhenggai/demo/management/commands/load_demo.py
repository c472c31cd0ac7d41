from django.core.management.base import BaseCommand

from zhenggai.demo.loader import DEMO_LOGINS, DEMO_PASSWORD, demo_exists, load_demo


class Command(BaseCommand):
    help = "Load the demo round, units and logins (once), and print the demo logins."

    def handle(self, *args, **options):
        if demo_exists():
            self.stdout.write("演示数据已存在 (demo already loaded).")
        else:
            load_demo()
            self.stdout.write(self.style.SUCCESS("演示数据已载入 (demo loaded)."))
        self.stdout.write(f"\n演示账号 Demo logins (password 密码: {DEMO_PASSWORD})")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<10} {login.role}：{login.sees}")
