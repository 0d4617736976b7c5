app_name = "data_exchange"

urlpatterns: list = []
