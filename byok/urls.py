app_name = "byok"

urlpatterns: list = []
