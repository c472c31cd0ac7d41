from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "zhenggai.demo"
    verbose_name = "Demo data"
