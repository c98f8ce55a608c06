from django.apps import AppConfig


class StorageConfig(AppConfig):
    name = "jixiao.storage"
    label = "storage"
    verbose_name = "jixiao 数据"
